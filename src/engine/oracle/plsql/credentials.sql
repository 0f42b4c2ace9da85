SELECT credential_name, username, enabled
  FROM dba_credentials
 WHERE owner = :schema
 ORDER BY credential_name
