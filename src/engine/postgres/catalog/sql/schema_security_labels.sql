-- The schema's own security labels (SECURITY LABEL ... ON SCHEMA), by provider.
SELECT s.provider, s.label
  FROM pg_catalog.pg_seclabel s
  JOIN pg_catalog.pg_namespace n ON n.oid = s.objoid
 WHERE s.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND s.objsubid = 0 AND n.nspname = $1
 ORDER BY 1
