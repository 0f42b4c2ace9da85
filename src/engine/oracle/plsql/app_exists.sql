SELECT application_id, workspace FROM apex_applications WHERE application_id = :app_id
