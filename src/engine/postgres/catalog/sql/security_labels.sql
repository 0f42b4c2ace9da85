-- Security labels on the schema's objects and their columns, one row each:
-- the provider, the label, and the object as SECURITY LABEL names it,
-- unqualified like every other entry (the reader's search_path is the
-- schema, so format_type and the identity arguments print the schema's own
-- types unqualified) and applied in the load schema. The schema's own
-- labels are read apart (schema_security_labels.sql): they go on the target
-- schema under its name. Every object kind SECURITY LABEL accepts inside a
-- schema is here: relations (and their columns), routines, types, domains.
WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1)
SELECT s.provider, s.label, o.kind || ' ' || o.name AS object
  FROM pg_catalog.pg_seclabel s
  JOIN (SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS classoid, c.oid, 0 AS objsubid,
               CASE WHEN c.relkind IN ('r', 'p') THEN 'TABLE'
                    WHEN c.relkind = 'v' THEN 'VIEW'
                    WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW'
                    WHEN c.relkind = 'S' THEN 'SEQUENCE'
                    WHEN c.relkind = 'f' THEN 'FOREIGN TABLE'
               END AS kind,
               pg_catalog.quote_ident(c.relname) AS name
          FROM pg_catalog.pg_class c
         WHERE c.relnamespace = (SELECT oid FROM ns)
        UNION ALL
        SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, a.attnum, 'COLUMN',
               pg_catalog.format('%I.%I', c.relname, a.attname)
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = (SELECT oid FROM ns)
        UNION ALL
        SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, 0,
               CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
               pg_catalog.format('%I(%s)', p.proname,
                                 CASE WHEN p.prokind = 'a'
                                       AND pg_catalog.pg_get_function_identity_arguments(p.oid) = ''
                                      THEN '*'
                                      ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END)
          FROM pg_catalog.pg_proc p
         WHERE p.pronamespace = (SELECT oid FROM ns)
        UNION ALL
        SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, 0,
               CASE WHEN t.typtype = 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
               pg_catalog.format_type(t.oid, NULL)
          FROM pg_catalog.pg_type t
         WHERE t.typnamespace = (SELECT oid FROM ns)) o
    ON o.classoid = s.classoid AND o.oid = s.objoid AND o.objsubid = s.objsubid
 WHERE o.kind IS NOT NULL
 ORDER BY 3, 1
