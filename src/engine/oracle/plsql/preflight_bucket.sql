-- dbclone: TABLE(...) around the pipelined function, as job_lookup.sql does:
-- valid on every release (12.2+ also takes it bare, which the grammar check's
-- PL/SQL grammar does not).
SELECT COUNT(*) AS objects
  FROM TABLE(DBMS_CLOUD.LIST_OBJECTS(:credential_name, :bucket_uri))
 WHERE ROWNUM <= 1
