SELECT i.table_name, i.column_name, i.generation_type, c.default_on_null
  FROM dba_tab_identity_cols i
  JOIN dba_tab_columns c ON c.owner = i.owner AND c.table_name = i.table_name
                        AND c.column_name = i.column_name
 WHERE i.owner = :schema
 ORDER BY i.table_name, i.column_name
