SELECT cc.column_name AS child_column, pc.column_name AS parent_column
  FROM dba_constraints c
  JOIN dba_cons_columns cc ON cc.owner = c.owner AND cc.constraint_name = c.constraint_name
  JOIN dba_cons_columns pc ON pc.owner = c.r_owner AND pc.constraint_name = c.r_constraint_name
                          AND pc.position = cc.position
 WHERE c.owner = :owner AND c.constraint_name = :constraint_name
 ORDER BY cc.position
