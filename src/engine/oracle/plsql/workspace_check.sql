SELECT w.workspace_id, w.workspace,
       (SELECT COUNT(*) FROM apex_workspace_schemas s
         WHERE s.workspace_name = w.workspace AND s.schema = :schema) AS schema_mapped
  FROM apex_workspaces w
 WHERE w.workspace = :workspace
