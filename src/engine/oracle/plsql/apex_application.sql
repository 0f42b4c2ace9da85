SELECT application_id, application_name, owner, pages
  FROM apex_applications
 WHERE workspace = :workspace
 ORDER BY application_id
