SELECT credential_name, username
  FROM all_credentials
 WHERE owner = :schema
 ORDER BY credential_name
