SELECT t.table_name,
       TO_CHAR(XMLCAST(XMLQUERY('/ROWSET/ROW/C/text()'
         PASSING DBMS_XMLGEN.GETXMLTYPE(
           'SELECT COUNT(*) AS C FROM "' || t.owner || '"."' || t.table_name || '"')
         RETURNING CONTENT) AS VARCHAR2(40))) AS row_count
  FROM dba_tables t
 WHERE t.owner = :schema
   AND t.dropped = 'NO' AND t.table_name NOT LIKE 'BIN$%'
   AND t.nested = 'NO' AND t.secondary = 'N' AND t.temporary = 'N' AND t.external = 'NO'
   AND (t.iot_type IS NULL OR t.iot_type = 'IOT')
 ORDER BY t.table_name
