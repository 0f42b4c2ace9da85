-- dbclone: the objects of the dump sets under the bucket URI (runbook
-- layout <retention>/<adb>/schema/<schema>/<timestamp>/<file>); paged by
-- ORDS, so ordered. TABLE(...) around the pipelined function, as
-- preflight_bucket.sql does.
SELECT object_name, bytes
  FROM TABLE(DBMS_CLOUD.LIST_OBJECTS(:credential_name, :location_uri))
 WHERE object_name LIKE '%/schema/%'
 ORDER BY object_name
