-- What DROP TABLE ... CASCADE of the tables $2 (names in schema $1) would
-- drop besides them, in other schemas: pg_depend followed transitively from
-- the tables and their row types (a view on a view goes too), a view's
-- _RETURN rule standing for the view. Foreign keys of other tables are left
-- out: the load guard puts them back (refresh/load_guard.h); so are the
-- triggers that implement them, row and array types and TOAST.
WITH RECURSIVE dropped(classid, objid) AS (
    SELECT 'pg_class'::regclass::oid, c.oid
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = ANY ($2::text[])
    UNION
    SELECT next.classid, next.objid
      FROM dropped o,
           LATERAL (SELECT d.classid, d.objid
                      FROM pg_depend d
                     WHERE d.refclassid = o.classid AND d.refobjid = o.objid AND d.deptype IN ('n', 'a', 'i')
                    UNION ALL
                    SELECT 'pg_class'::regclass::oid, r.ev_class
                      FROM pg_rewrite r
                     WHERE o.classid = 'pg_rewrite'::regclass AND r.oid = o.objid
                    UNION ALL
                    SELECT 'pg_type'::regclass::oid, c.reltype
                      FROM pg_class c
                     WHERE o.classid = 'pg_class'::regclass AND c.oid = o.objid AND c.reltype <> 0) next
)
SELECT DISTINCT i.type, i.identity
  FROM dropped o, LATERAL pg_identify_object(o.classid, o.objid, 0) i
 WHERE i.schema IS NOT NULL -- a column default, policy or rule has none: its table is what counts
   AND i.schema <> $1
   AND i.schema <> 'pg_toast'
   AND o.classid NOT IN ('pg_type'::regclass, 'pg_rewrite'::regclass)
   AND NOT (o.classid = 'pg_constraint'::regclass
            AND EXISTS (SELECT FROM pg_constraint k WHERE k.oid = o.objid AND k.contype = 'f'))
   AND NOT (o.classid = 'pg_trigger'::regclass
            AND EXISTS (SELECT FROM pg_trigger t WHERE t.oid = o.objid AND t.tgconstraint <> 0))
 ORDER BY 1, 2
