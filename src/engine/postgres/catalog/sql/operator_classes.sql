-- Operator families and classes of the schema as CREATE statements, the
-- way pg_dump writes them: every family first (CREATE OPERATOR FAMILY, then
-- its loose members - those that belong to the family, not to a class - by
-- ALTER OPERATOR FAMILY ... ADD), then each class with the operators and
-- support functions bound to it. Names of the schema's own operators,
-- functions and types print unqualified (the reader runs with search_path =
-- the schema, pg_catalog). `sort` orders a family before its classes.
WITH fam AS (
  SELECT f.oid, f.opfname, am.amname, f.opfnamespace
    FROM pg_opfamily f JOIN pg_am am ON am.oid = f.opfmethod
   WHERE f.opfnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
     AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_opfamily'::regclass AND x.objid = f.oid AND x.deptype = 'e')
), loose_op AS (
  SELECT ao.amopfamily AS family,
         format('OPERATOR %s %s%s', ao.amopstrategy, ao.amopopr::regoperator,
                CASE WHEN ao.amoppurpose = 'o' THEN ' FOR ORDER BY ' || CASE WHEN sf.opfnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) THEN quote_ident(sf.opfname) ELSE quote_ident(sn.nspname) || '.' || quote_ident(sf.opfname) END ELSE '' END) AS item,
         1 AS part, ao.amopstrategy::int AS num, ao.amoplefttype, ao.amoprighttype
    FROM pg_amop ao
    JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = ao.oid AND d.refclassid = 'pg_opfamily'::regclass
    LEFT JOIN pg_opfamily sf ON sf.oid = ao.amopsortfamily LEFT JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
   WHERE ao.amopfamily IN (SELECT oid FROM fam)
  UNION ALL
  SELECT ap.amprocfamily,
         format('FUNCTION %s (%s, %s) %s', ap.amprocnum, format_type(ap.amproclefttype, NULL),
                format_type(ap.amprocrighttype, NULL), ap.amproc::regprocedure),
         2, ap.amprocnum::int, ap.amproclefttype, ap.amprocrighttype
    FROM pg_amproc ap
    JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = ap.oid AND d.refclassid = 'pg_opfamily'::regclass
   WHERE ap.amprocfamily IN (SELECT oid FROM fam)
), class_item AS (
  SELECT d.refobjid AS class,
         format('OPERATOR %s %s%s', ao.amopstrategy, ao.amopopr::regoperator,
                CASE WHEN ao.amoppurpose = 'o' THEN ' FOR ORDER BY ' || CASE WHEN sf.opfnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) THEN quote_ident(sf.opfname) ELSE quote_ident(sn.nspname) || '.' || quote_ident(sf.opfname) END ELSE '' END) AS item,
         1 AS part, ao.amopstrategy::int AS num
    FROM pg_amop ao
    JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = ao.oid AND d.refclassid = 'pg_opclass'::regclass
    LEFT JOIN pg_opfamily sf ON sf.oid = ao.amopsortfamily LEFT JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
  UNION ALL
  SELECT d.refobjid,
         format('FUNCTION %s (%s, %s) %s', ap.amprocnum, format_type(ap.amproclefttype, NULL),
                format_type(ap.amprocrighttype, NULL), ap.amproc::regprocedure),
         2, ap.amprocnum::int
    FROM pg_amproc ap
    JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = ap.oid AND d.refclassid = 'pg_opclass'::regclass
)
SELECT 'OPERATOR FAMILY' AS kind, f.oid, 'pg_opfamily:' || f.oid AS key,
       quote_ident(f.opfname) || ' USING ' || quote_ident(f.amname) AS name,
       format('CREATE OPERATOR FAMILY %I USING %I', f.opfname, f.amname)
       || coalesce((SELECT format(';' || chr(10) || 'ALTER OPERATOR FAMILY %I USING %I ADD ', f.opfname, f.amname)
                           || string_agg(l.item, ', ' ORDER BY l.part, l.num, l.amoplefttype, l.amoprighttype)
                      FROM loose_op l WHERE l.family = f.oid), '') AS definition,
       obj_description(f.oid, 'pg_opfamily') AS comment, 0 AS sort
  FROM fam f
UNION ALL
SELECT 'OPERATOR CLASS', c.oid, 'pg_opclass:' || c.oid,
       quote_ident(c.opcname) || ' USING ' || quote_ident(am.amname),
       format('CREATE OPERATOR CLASS %I %sFOR TYPE %s USING %I%s AS ', c.opcname,
              CASE WHEN c.opcdefault THEN 'DEFAULT ' ELSE '' END, format_type(c.opcintype, NULL), am.amname,
              CASE WHEN f.opfname = c.opcname AND f.opfnamespace = c.opcnamespace THEN ''
                   WHEN f.opfnamespace = c.opcnamespace THEN ' FAMILY ' || quote_ident(f.opfname)
                   ELSE ' FAMILY ' || quote_ident(fn.nspname) || '.' || quote_ident(f.opfname) END)
       || concat_ws(', ',
                    CASE WHEN c.opckeytype <> 0 THEN 'STORAGE ' || format_type(c.opckeytype, NULL) END,
                    (SELECT string_agg(i.item, ', ' ORDER BY i.part, i.num) FROM class_item i WHERE i.class = c.oid)),
       obj_description(c.oid, 'pg_opclass'), 1
  FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod
  JOIN pg_opfamily f ON f.oid = c.opcfamily JOIN pg_namespace fn ON fn.oid = f.opfnamespace
 WHERE c.opcnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_opclass'::regclass AND x.objid = c.oid AND x.deptype = 'e')
 ORDER BY sort, name
