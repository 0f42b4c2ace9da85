-- dbclone: the files of one APEX export in the bucket
-- (<retention>/<adb>/apex/<app>/<timestamp>/, the schema export's timestamp),
-- for an import that installs the application: the export step's own list
-- is in the journal of the run that exported it, not here.
SELECT object_name, bytes
  FROM TABLE(DBMS_CLOUD.LIST_OBJECTS(:credential_name, :location_uri))
 ORDER BY object_name
