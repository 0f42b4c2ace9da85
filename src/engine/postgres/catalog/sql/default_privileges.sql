-- ALTER DEFAULT PRIVILEGES ... IN SCHEMA of the schema: per role and object
-- kind, each privilege objects that role creates in the schema later get.
-- (Per-schema defaults only add to the global ones: all are grants.)
SELECT pg_get_userbyid(d.defaclrole) AS role,
       CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS'
                            WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' ELSE 'kind ' || d.defaclobjtype::text
       END AS object_type,
       a.privilege_type AS privilege,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee,
       a.is_grantable AS grantable
  FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) a
 WHERE d.defaclnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
 ORDER BY 1, 2, 4, 3
