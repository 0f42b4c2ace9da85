-- Dependencies between objects, each side resolved to the object that owns
-- it in dbclone's terms (a column default belongs to its table, a view's rule
-- to its view, a row type to its table, an array type to its element type).
WITH owner_of(classid, objid, k) AS (
  SELECT 'pg_class'::regclass, c.oid, 'pg_class:' || c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_type'::regclass, t.oid,
         CASE WHEN t.typrelid <> 0 THEN 'pg_class:' || t.typrelid
              WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN 'pg_type:' || t.typelem
              ELSE 'pg_type:' || t.oid END
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_attrdef'::regclass, ad.oid, 'pg_class:' || ad.adrelid
    FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_constraint'::regclass, co.oid,
         CASE WHEN co.contypid <> 0 THEN 'pg_type:' || co.contypid
              WHEN co.contype = 'c' THEN 'pg_class:' || co.conrelid
              ELSE 'pg_constraint:' || co.oid END
    FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_rewrite'::regclass, r.oid, 'pg_class:' || r.ev_class
    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_proc'::regclass, p.oid, 'pg_proc:' || p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_collation'::regclass, co.oid, 'pg_collation:' || co.oid FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_ts_dict'::regclass, d.oid, 'pg_ts_dict:' || d.oid FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_ts_config'::regclass, c.oid, 'pg_ts_config:' || c.oid FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_ts_parser'::regclass, p.oid, 'pg_ts_parser:' || p.oid FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = p.prsnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_ts_template'::regclass, t.oid, 'pg_ts_template:' || t.oid FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_operator'::regclass, o.oid, 'pg_operator:' || o.oid FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_opfamily'::regclass, f.oid, 'pg_opfamily:' || f.oid FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_opclass'::regclass, c.oid, 'pg_opclass:' || c.oid FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace WHERE n.nspname = $1
  UNION ALL
  -- an operator or support function of a family belongs to its class when
  -- one binds it (internal dependency), else to the family
  SELECT 'pg_amop'::regclass, ao.oid,
         coalesce((SELECT 'pg_opclass:' || x.refobjid FROM pg_depend x WHERE x.classid = 'pg_amop'::regclass AND x.objid = ao.oid AND x.refclassid = 'pg_opclass'::regclass LIMIT 1),
                  'pg_opfamily:' || ao.amopfamily)
    FROM pg_amop ao JOIN pg_opfamily f ON f.oid = ao.amopfamily JOIN pg_namespace n ON n.oid = f.opfnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_amproc'::regclass, ap.oid,
         coalesce((SELECT 'pg_opclass:' || x.refobjid FROM pg_depend x WHERE x.classid = 'pg_amproc'::regclass AND x.objid = ap.oid AND x.refclassid = 'pg_opclass'::regclass LIMIT 1),
                  'pg_opfamily:' || ap.amprocfamily)
    FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily JOIN pg_namespace n ON n.oid = f.opfnamespace WHERE n.nspname = $1
  UNION ALL
  SELECT 'pg_conversion'::regclass, c.oid, 'pg_conversion:' || c.oid FROM pg_conversion c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1
)
SELECT DISTINCT o.k AS object, r.k AS referenced
  FROM pg_depend d
  JOIN owner_of o ON o.classid = d.classid AND o.objid = d.objid
  JOIN owner_of r ON r.classid = d.refclassid AND r.objid = d.refobjid
 WHERE d.deptype IN ('n', 'a') AND o.k <> r.k
