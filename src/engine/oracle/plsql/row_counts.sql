SELECT t.table_name,
       TO_NUMBER(XMLCAST(XMLQUERY('/ROWSET/ROW/C/text()'
         PASSING DBMS_XMLGEN.GETXMLTYPE(
           'SELECT COUNT(*) AS C FROM "' || t.owner || '"."' || t.table_name || '"')
         RETURNING CONTENT) AS VARCHAR2(40))) AS row_count
  FROM all_tables t
 WHERE t.owner = :schema
   AND t.nested = 'NO' AND t.secondary = 'N' AND t.temporary = 'N'
   AND (t.iot_type IS NULL OR t.iot_type = 'IOT')
   AND NOT EXISTS (SELECT 1 FROM all_external_tables e
                    WHERE e.owner = t.owner AND e.table_name = t.table_name)
 ORDER BY t.table_name
