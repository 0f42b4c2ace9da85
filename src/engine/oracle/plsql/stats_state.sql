SELECT COUNT(*) AS tables_total, COUNT(last_analyzed) AS tables_analyzed,
       TO_CHAR(MIN(last_analyzed), 'YYYY-MM-DD"T"HH24:MI:SS') AS oldest
  FROM dba_tables
 WHERE owner = :schema AND temporary = 'N' AND dropped = 'NO' AND table_name NOT LIKE 'BIN$%'
   AND external = 'NO'
