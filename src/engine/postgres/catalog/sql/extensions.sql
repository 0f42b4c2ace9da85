-- Extensions installed in the schema itself (CREATE EXTENSION ... WITH
-- SCHEMA <schema>): their member objects are not read one by one, the
-- extension is created again in the copy's schema instead.
SELECT e.oid, e.extname, e.extversion, obj_description(e.oid, 'pg_extension') AS comment
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE n.nspname = $1
 ORDER BY e.extname
