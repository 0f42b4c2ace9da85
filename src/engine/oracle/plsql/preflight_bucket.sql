SELECT COUNT(*) AS objects
  FROM DBMS_CLOUD.LIST_OBJECTS(:credential_name, :bucket_uri)
 WHERE ROWNUM <= 1
