-- Columns of the schema's tables whose type is an object-identifier alias
-- (regclass, regtype, regproc, ...; or an array of one): their values are
-- OIDs that COPY prints as names, qualified with the source schema when the
-- object lives there. `catalog` and `nsp` say where such an object's schema
-- is recorded; the reader then looks for values naming the source schema
-- (catalog/reg_columns.cpp).
SELECT c.relname, a.attname, format_type(a.atttypid, NULL) AS type,
       format_type(coalesce(nullif(t.typelem, 0), t.oid), NULL) AS base_type,
       t.typcategory = 'A' AS is_array,
       CASE coalesce(nullif(t.typelem, 0), t.oid)
            WHEN 'regclass'::regtype THEN 'pg_class.relnamespace'
            WHEN 'regtype'::regtype THEN 'pg_type.typnamespace'
            WHEN 'regproc'::regtype THEN 'pg_proc.pronamespace'
            WHEN 'regprocedure'::regtype THEN 'pg_proc.pronamespace'
            WHEN 'regoper'::regtype THEN 'pg_operator.oprnamespace'
            WHEN 'regoperator'::regtype THEN 'pg_operator.oprnamespace'
            WHEN 'regconfig'::regtype THEN 'pg_ts_config.cfgnamespace'
            WHEN 'regdictionary'::regtype THEN 'pg_ts_dict.dictnamespace'
            WHEN 'regcollation'::regtype THEN 'pg_collation.collnamespace'
            WHEN 'regnamespace'::regtype THEN 'pg_namespace.oid'
       END AS where_schema
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
 WHERE n.nspname = $1 AND c.relkind = 'r'
   AND coalesce(nullif(t.typelem, 0), t.oid) IN ('regclass'::regtype, 'regtype'::regtype, 'regproc'::regtype,
       'regprocedure'::regtype, 'regoper'::regtype, 'regoperator'::regtype, 'regconfig'::regtype,
       'regdictionary'::regtype, 'regcollation'::regtype, 'regnamespace'::regtype)
   AND (t.typcategory = 'A' OR t.typelem = 0)
 ORDER BY 1, 2
