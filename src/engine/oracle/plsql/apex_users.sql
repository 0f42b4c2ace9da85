SELECT user_name, email, is_admin, is_application_developer, account_locked
  FROM apex_workspace_apex_users
 WHERE workspace_name = :workspace
 ORDER BY user_name
