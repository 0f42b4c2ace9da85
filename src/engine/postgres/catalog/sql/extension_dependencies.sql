-- Extensions the schema's objects depend on (a citext column, a pg_trgm
-- operator class of an index, an extension function in a default or a
-- check), with the schema each is installed in: DDL names their types,
-- operators and functions qualified with that schema, so the target needs the
-- extension in the same schema. Arrays count as their element type.
WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1),
objs AS (
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS classid, c.oid AS objid
      FROM pg_catalog.pg_class c WHERE c.relnamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid
      FROM pg_catalog.pg_type t WHERE t.typnamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid
      FROM pg_catalog.pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, k.oid
      FROM pg_catalog.pg_constraint k WHERE k.connamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, d.oid
      FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
     WHERE c.relnamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass, r.oid
      FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
     WHERE c.relnamespace = (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, g.oid
      FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
     WHERE c.relnamespace = (SELECT oid FROM ns) AND NOT g.tgisinternal
    UNION ALL
    SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, o.oid
      FROM pg_catalog.pg_operator o WHERE o.oprnamespace = (SELECT oid FROM ns)
),
refs AS (
    SELECT d.refclassid, d.refobjid
      FROM objs o JOIN pg_catalog.pg_depend d ON d.classid = o.classid AND d.objid = o.objid
     WHERE d.deptype IN ('n', 'a')
),
elements AS (
    SELECT refclassid, refobjid FROM refs
    UNION
    SELECT r.refclassid, t.typelem
      FROM refs r JOIN pg_catalog.pg_type t ON t.oid = r.refobjid
     WHERE r.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.typelem <> 0
)
SELECT DISTINCT x.extname AS name, n.nspname AS schema, x.extversion AS version
  FROM elements r
  JOIN pg_catalog.pg_depend m ON m.classid = r.refclassid AND m.objid = r.refobjid AND m.deptype = 'e'
   AND m.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
  JOIN pg_catalog.pg_extension x ON x.oid = m.refobjid
  JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
 -- plpgsql (a function's language) lives in pg_catalog, as on every server;
 -- an extension installed in the schema itself is copied with it
 -- (catalog/extensions_in_schema.cpp), not required of the target
 WHERE n.nspname <> 'pg_catalog' AND n.nspname <> $1
 ORDER BY 1
