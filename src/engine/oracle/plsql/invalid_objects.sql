SELECT object_type, object_name, status
  FROM dba_objects
 WHERE owner = :schema AND status = 'INVALID'
 ORDER BY object_type, object_name
