SELECT owner, trigger_name
  FROM dba_triggers
 WHERE table_owner = :schema AND status = 'ENABLED' AND base_object_type = 'TABLE'
 ORDER BY owner, trigger_name
