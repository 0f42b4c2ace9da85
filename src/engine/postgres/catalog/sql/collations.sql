-- Collations of the schema. Fields that only some server versions have
-- (ICU locale, rules) are read through to_jsonb().
SELECT co.oid, co.collname, co.collprovider, co.collcollate, co.collctype,
       coalesce(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale') AS icu_locale,
       to_jsonb(co) ->> 'collicurules' AS icu_rules, co.collisdeterministic,
       obj_description(co.oid, 'pg_collation') AS comment
  FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
 WHERE n.nspname = $1
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_collation'::regclass AND x.objid = co.oid AND x.deptype = 'e')
 ORDER BY co.collname
