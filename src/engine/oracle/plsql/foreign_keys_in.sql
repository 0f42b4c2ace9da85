SELECT c.owner, c.table_name, c.constraint_name, p.owner AS r_owner, p.table_name AS r_table_name
  FROM all_constraints c
  JOIN all_constraints p ON p.owner = c.r_owner AND p.constraint_name = c.r_constraint_name
 WHERE c.constraint_type = 'R' AND c.status = 'ENABLED' AND p.owner = :schema
 ORDER BY c.owner, c.table_name, c.constraint_name
