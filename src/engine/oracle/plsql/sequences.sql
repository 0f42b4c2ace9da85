SELECT sequence_name, TO_CHAR(last_number) AS last_number, increment_by
  FROM dba_sequences
 WHERE sequence_owner = :schema
   AND sequence_name NOT LIKE 'ISEQ$$\_%' ESCAPE '\'
 ORDER BY sequence_name
