SELECT i.indexrelid AS oid, ic.relname, quote_ident(ic.relname) AS qname, tc.relname AS table_name, tc.relkind AS table_kind,
       quote_ident(n.nspname) || '.' || quote_ident(tc.relname) AS qualified_table,
       pg_get_indexdef(i.indexrelid) AS definition,
       ic.relkind AS index_kind, ic.relispartition,
       (SELECT pic.relname FROM pg_inherits inh JOIN pg_class pic ON pic.oid = inh.inhparent
         WHERE inh.inhrelid = i.indexrelid) AS parent_index,
       EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
                  AND co.contype IN ('p', 'u', 'x')) AS backs_constraint,
       i.indisclustered, i.indisvalid, i.indisreplident,
       (SELECT string_agg(format('ALTER INDEX %I ALTER COLUMN %s SET STATISTICS %s', ic.relname, a.attnum, a.attstattarget), E';\n' ORDER BY a.attnum)
          FROM (SELECT attnum, NULLIF(to_jsonb(x) ->> 'attstattarget', '-1') AS attstattarget
                  FROM pg_attribute x WHERE x.attrelid = i.indexrelid) a
         WHERE a.attstattarget IS NOT NULL) AS column_statistics,
       obj_description(i.indexrelid, 'pg_class') AS comment
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = tc.relnamespace
 WHERE n.nspname = $1 AND tc.relkind IN ('r', 'p', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = tc.oid AND x.deptype = 'e')
 ORDER BY tc.relname, ic.relname
