SELECT username FROM dba_users WHERE username = :schema
