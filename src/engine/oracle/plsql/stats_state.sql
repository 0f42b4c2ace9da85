SELECT COUNT(*) AS tables_total, COUNT(last_analyzed) AS tables_analyzed,
       TO_CHAR(MIN(last_analyzed), 'YYYY-MM-DD"T"HH24:MI:SS') AS oldest
  FROM all_tables
 WHERE owner = :schema AND temporary = 'N'
