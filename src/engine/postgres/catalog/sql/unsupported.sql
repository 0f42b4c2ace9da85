-- Objects of the schema that dbclone cannot recreate: the run stops before
-- the target is touched and names each one (never a silent skip).
SELECT kind, name FROM (
  SELECT CASE c.relkind WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'relation of kind ' || c.relkind::text END AS kind, quote_ident(c.relname) AS name, c.oid AS oid, 'pg_class'::regclass AS cls
    FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND c.relkind NOT IN ('r', 'p', 'v', 'm', 'S', 'i', 'I', 'c', 't')
  UNION ALL
  SELECT 'TYPE of kind ' || t.typtype::text, quote_ident(t.typname), t.oid, 'pg_type'::regclass
    FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND t.typtype NOT IN ('b', 'c', 'd', 'e', 'r', 'm')
  UNION ALL
  SELECT 'base TYPE', quote_ident(t.typname), t.oid, 'pg_type'::regclass
    FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND t.typtype = 'b' AND t.typcategory <> 'A'
) o
 WHERE NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = o.cls AND x.objid = o.oid AND x.deptype IN ('e', 'i'))
 ORDER BY 1, 2
