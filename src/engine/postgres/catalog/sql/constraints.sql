SELECT co.oid, co.conname, co.contype, co.conrelid, c.relname AS table_name, c.relkind,
       c.relispartition, pg_get_constraintdef(co.oid) AS definition, co.convalidated, co.conislocal,
       co.conparentid, obj_description(co.oid, 'pg_constraint') AS comment,
       -- a foreign key's referenced table, when it is in the same schema
       (SELECT rc.relname FROM pg_class rc WHERE rc.oid = co.confrelid AND rc.relnamespace = c.relnamespace)
           AS referenced_table,
       -- pg_get_constraintdef() leaves out a key's index storage parameters
       CASE WHEN co.contype IN ('p', 'u') THEN
            (SELECT array_to_string(ic.reloptions, ', ') FROM pg_class ic WHERE ic.oid = co.conindid) END AS index_options,
       -- a key that can be built as its unique index first, then the
       -- constraint on it (catalog/tables.cpp read_constraints): a plain
       -- table's btree key, not deferrable, in the default tablespace,
       -- whose index has the constraint's name
       (SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_am am ON am.oid = ic.relam
         WHERE i.indexrelid = co.conindid AND co.contype IN ('p', 'u') AND NOT co.condeferrable
           AND co.conparentid = 0 AND c.relkind = 'r' AND NOT c.relispartition AND am.amname = 'btree'
           AND ic.reltablespace = 0 AND ic.relname = co.conname AND i.indisvalid
           AND i.indexprs IS NULL AND i.indpred IS NULL) AS key_index_definition,
       quote_ident(co.conname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS key_index_names
  FROM pg_constraint co
  JOIN pg_class c ON c.oid = co.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND co.contype IN ('c', 'p', 'u', 'f', 'x')
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
 ORDER BY c.relname, co.conname
