SELECT c.owner, c.table_name, c.constraint_name, c.validated,
       p.owner AS r_owner, p.table_name AS r_table_name
  FROM dba_constraints c
  JOIN dba_constraints p ON p.owner = c.r_owner AND p.constraint_name = c.r_constraint_name
 WHERE c.constraint_type = 'R' AND c.status = 'ENABLED' AND p.owner = :schema
 ORDER BY c.owner, c.table_name, c.constraint_name
