WITH f AS (
  SELECT TO_CLOB(DBMS_CLOUD.GET_OBJECT(credential_name => :credential_name, object_uri => :object_uri)) AS c
    FROM dual)
SELECT LEVEL AS piece_no, DBMS_LOB.SUBSTR(f.c, 1000, (LEVEL - 1) * 1000 + 1) AS piece
  FROM f
CONNECT BY LEVEL <= CEIL(DBMS_LOB.GETLENGTH(f.c) / 1000)
