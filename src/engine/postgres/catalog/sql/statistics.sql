-- Extended statistics objects of the schema's tables; the statistics target
-- is read through to_jsonb() (an integer before PostgreSQL 17, nullable since).
SELECT s.oid, s.stxname, c.relname AS table_name, pg_get_statisticsobjdef(s.oid) AS definition,
       quote_ident(n.nspname) || '.' AS schema_prefix,
       NULLIF(to_jsonb(s) ->> 'stxstattarget', '-1') AS stattarget,
       obj_description(s.oid, 'pg_statistic_ext') AS comment
  FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace JOIN pg_class c ON c.oid = s.stxrelid
 WHERE n.nspname = $1
 ORDER BY s.stxname
