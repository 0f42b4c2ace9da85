SELECT t.oid, t.typname, t.typtype, t.typrelid,
       (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
          FROM pg_enum e WHERE e.enumtypid = t.oid) AS enum_labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS domain_base,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> 0
             AND t.typcollation <> (SELECT bt.typcollation FROM pg_type bt WHERE bt.oid = t.typbasetype)
            THEN t.typcollation::regcollation::text END AS domain_collation,
       t.typnotnull, t.typdefault,
       (SELECT string_agg(' CONSTRAINT ' || quote_ident(co.conname) || ' ' || pg_get_constraintdef(co.oid),
                          '' ORDER BY co.conname)
          FROM pg_constraint co WHERE co.contypid = t.oid AND co.convalidated) AS domain_constraints,
       -- NOT VALID ones are added after the data, still NOT VALID; comments on any
       (SELECT json_agg(json_build_object('name', co.conname, 'definition', pg_get_constraintdef(co.oid),
                                          'validated', co.convalidated,
                                          'comment', obj_description(co.oid, 'pg_constraint')) ORDER BY co.conname)
          FROM pg_constraint co WHERE co.contypid = t.oid
           AND (NOT co.convalidated OR obj_description(co.oid, 'pg_constraint') IS NOT NULL)) AS domain_constraint_extras,
       (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                          || CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                                  THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
                          ', ' ORDER BY a.attnum)
          FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS composite_attributes,
       (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) AS range_subtype,
       (SELECT CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END
          FROM pg_range r WHERE r.rngtypid = t.oid) AS range_subdiff,
       (SELECT r.rngcollation::regcollation::text FROM pg_range r JOIN pg_type st ON st.oid = r.rngsubtype
         WHERE r.rngtypid = t.oid AND r.rngcollation <> 0 AND r.rngcollation <> st.typcollation) AS range_collation,
       (SELECT CASE WHEN opn.nspname = 'pg_catalog' OR opn.nspname = $1 THEN '' ELSE quote_ident(opn.nspname) || '.' END
               || quote_ident(oc.opcname)
          FROM pg_range r JOIN pg_opclass oc ON oc.oid = r.rngsubopc JOIN pg_namespace opn ON opn.oid = oc.opcnamespace
         WHERE r.rngtypid = t.oid AND NOT oc.opcdefault) AS range_opclass,
       (SELECT mt.typname FROM pg_range r JOIN pg_type mt ON mt.oid = (to_jsonb(r) ->> 'rngmultitypid')::oid
         WHERE r.rngtypid = t.oid) AS range_multirange,
       obj_description(t.oid, 'pg_type') AS comment,
       t.typacl IS NOT NULL AS has_acl,
       (SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                          'privilege', a.privilege_type, 'grantable', a.is_grantable))
          FROM aclexplode(t.typacl) a WHERE a.grantee <> t.typowner) AS grants
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = $1
   AND t.typtype IN ('e', 'd', 'c', 'r')
   AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
 ORDER BY t.typname
