SELECT sequence_name, last_number, increment_by
  FROM all_sequences
 WHERE sequence_owner = :schema
 ORDER BY sequence_name
