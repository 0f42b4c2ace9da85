SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relispartition,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno)
          FROM pg_inherits i WHERE i.inhrelid = c.oid) AS parents,
       -- the TOAST table's own options are written toast.<name> in WITH (...)
       concat_ws(', ', nullif(array_to_string(c.reloptions, ', '), ''),
                 (SELECT nullif(string_agg('toast.' || o, ', '), '') FROM pg_class tc, unnest(tc.reloptions) o
                   WHERE tc.oid = c.reltoastrelid)) AS reloptions,
       (SELECT array_to_string(array_agg(i.inhparent ORDER BY i.inhseqno), ',') FROM pg_inherits i WHERE i.inhrelid = c.oid) AS parent_oids,
       CASE WHEN c.reloftype <> 0 THEN c.reloftype::regtype::text END AS of_type,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
       pg_relation_size(c.oid) AS size_bytes,
       -- large values live there: a big TOAST relation reads its values in pieces
       COALESCE(pg_relation_size(NULLIF(c.reltoastrelid, 0)), 0) AS toast_bytes,
       obj_description(c.oid, 'pg_class') AS comment,
       (SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                          'privilege', a.privilege_type, 'grantable', a.is_grantable))
          FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner) AS grants
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
 ORDER BY c.relname
