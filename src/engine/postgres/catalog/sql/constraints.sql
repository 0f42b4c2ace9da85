SELECT co.oid, co.conname, co.contype, co.conrelid, c.relname AS table_name, c.relkind,
       c.relispartition, pg_get_constraintdef(co.oid) AS definition, co.convalidated, co.conislocal,
       co.conparentid, obj_description(co.oid, 'pg_constraint') AS comment,
       -- a foreign key's referenced table, when it is in the same schema
       (SELECT rc.relname FROM pg_class rc WHERE rc.oid = co.confrelid AND rc.relnamespace = c.relnamespace)
           AS referenced_table,
       -- pg_get_constraintdef() leaves out a key's index storage parameters
       CASE WHEN co.contype IN ('p', 'u') THEN
            (SELECT array_to_string(ic.reloptions, ', ') FROM pg_class ic WHERE ic.oid = co.conindid) END AS index_options
  FROM pg_constraint co
  JOIN pg_class c ON c.oid = co.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND co.contype IN ('c', 'p', 'u', 'f', 'x')
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
 ORDER BY c.relname, co.conname
