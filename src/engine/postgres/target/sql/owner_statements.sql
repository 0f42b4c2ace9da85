-- ALTER ... OWNER TO $2 for every object of schema $1 that the running role
-- owns (--owner): the schema, relations (sequences owned by a column follow
-- their table, indexes follow their table), routines, types, and the other
-- kinds a schema holds. Run with search_path = pg_catalog so that every name
-- printed by reg* casts is qualified.
WITH ns AS (SELECT oid, nspname, nspowner FROM pg_catalog.pg_namespace WHERE nspname = $1),
me AS (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
SELECT pg_catalog.format('ALTER SCHEMA %I OWNER TO %I', ns.nspname, $2::text)
  FROM ns WHERE ns.nspowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER %s %I.%I OWNER TO %I',
       CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                      WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
       ns.nspname, c.relname, $2::text)
  FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c') AND c.relowner = (SELECT oid FROM me)
   AND NOT (c.relkind = 'S' AND EXISTS (
        SELECT FROM pg_catalog.pg_depend d
         WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
           AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')))
UNION ALL
SELECT pg_catalog.format('ALTER %s %I.%I(%s) OWNER TO %I',
       CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
       ns.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), $2::text)
  FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace
 WHERE p.proowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER %s %I.%I OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
       ns.nspname, t.typname, $2::text)
  FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace
 WHERE t.typowner = (SELECT oid FROM me) AND t.typtype IN ('b', 'd', 'e', 'r') AND t.typrelid = 0
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)
UNION ALL
SELECT pg_catalog.format('ALTER COLLATION %I.%I OWNER TO %I', ns.nspname, o.collname, $2::text)
  FROM pg_catalog.pg_collation o JOIN ns ON ns.oid = o.collnamespace WHERE o.collowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER CONVERSION %I.%I OWNER TO %I', ns.nspname, o.conname, $2::text)
  FROM pg_catalog.pg_conversion o JOIN ns ON ns.oid = o.connamespace WHERE o.conowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER OPERATOR %s OWNER TO %I', o.oid::pg_catalog.regoperator, $2::text)
  FROM pg_catalog.pg_operator o JOIN ns ON ns.oid = o.oprnamespace WHERE o.oprowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER OPERATOR FAMILY %I.%I USING %I OWNER TO %I', ns.nspname, o.opfname, a.amname, $2::text)
  FROM pg_catalog.pg_opfamily o JOIN ns ON ns.oid = o.opfnamespace JOIN pg_catalog.pg_am a ON a.oid = o.opfmethod
 WHERE o.opfowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER OPERATOR CLASS %I.%I USING %I OWNER TO %I', ns.nspname, o.opcname, a.amname, $2::text)
  FROM pg_catalog.pg_opclass o JOIN ns ON ns.oid = o.opcnamespace JOIN pg_catalog.pg_am a ON a.oid = o.opcmethod
 WHERE o.opcowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER TEXT SEARCH DICTIONARY %I.%I OWNER TO %I', ns.nspname, o.dictname, $2::text)
  FROM pg_catalog.pg_ts_dict o JOIN ns ON ns.oid = o.dictnamespace WHERE o.dictowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER TEXT SEARCH CONFIGURATION %I.%I OWNER TO %I', ns.nspname, o.cfgname, $2::text)
  FROM pg_catalog.pg_ts_config o JOIN ns ON ns.oid = o.cfgnamespace WHERE o.cfgowner = (SELECT oid FROM me)
UNION ALL
SELECT pg_catalog.format('ALTER STATISTICS %I.%I OWNER TO %I', ns.nspname, o.stxname, $2::text)
  FROM pg_catalog.pg_statistic_ext o JOIN ns ON ns.oid = o.stxnamespace WHERE o.stxowner = (SELECT oid FROM me)
