SELECT c.oid, c.relname, format_type(s.seqtypid, NULL) AS data_type,
       c.relpersistence = 'u' AS unlogged, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle,
       (SELECT quote_ident(tc.relname) || '.' || quote_ident(a.attname)
          FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
           AND d.deptype IN ('a', 'i') AND tc.relnamespace = c.relnamespace LIMIT 1) AS owned_by,
       EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.deptype = 'i') AS is_identity,
       obj_description(c.oid, 'pg_class') AS comment,
       (SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                          'privilege', a.privilege_type, 'grantable', a.is_grantable))
          FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner) AS grants
  FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind = 'S'
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
 ORDER BY c.relname
