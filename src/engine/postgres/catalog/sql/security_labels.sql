-- Security labels on the schema and its objects (and their columns): the
-- statement that sets each, its object named as pg_identify_object gives it
-- (qualified with the schema).
SELECT format('SECURITY LABEL FOR %I ON %s %s IS %L', s.provider,
              CASE WHEN i.type LIKE '% column' THEN 'COLUMN' ELSE upper(i.type) END, i.identity, s.label) AS statement
  FROM pg_seclabel s
  CROSS JOIN LATERAL pg_identify_object(s.classoid, s.objoid, s.objsubid) i
 WHERE i.schema = $1 OR (s.classoid = 'pg_namespace'::regclass AND i.identity = quote_ident($1))
 ORDER BY 1
