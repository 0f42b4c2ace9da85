SELECT a.attrelid, c.relname, c.relkind, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS data_type,
       -- xml (or a domain over it): copied as ::text, whose output keeps an XML declaration
       (t.oid = 'xml'::regtype OR t.typbasetype = 'xml'::regtype) AS is_xml,
       -- COPY's binary format carries it exactly between any two supported
       -- servers (13-18): a built-in type of this list, a domain over one, or
       -- an array of one (an array's binary form names its element type's
       -- OID, the same on every server only for built-in types). Anything
       -- else (extension and user types, composites, ranges) goes as text.
       (CASE WHEN t.typtype = 'd' THEN t.typbasetype
             WHEN t.typcategory = 'A' THEN t.typelem
             ELSE t.oid END)::regtype::text IN (
           'boolean', 'bytea', '"char"', 'name', 'bigint', 'smallint', 'integer', 'text', 'oid',
           'real', 'double precision', 'character', 'character varying', 'date',
           'time without time zone', 'time with time zone', 'timestamp without time zone',
           'timestamp with time zone', 'interval', 'numeric', 'uuid', 'json', 'jsonb', 'inet', 'cidr',
           'macaddr', 'bit', 'bit varying') AS binary_io,
       -- values that can be read in pieces (data/large_values.h): 'b' bytea,
       -- 't' text or varchar, 'n' json, 'j' jsonb, 'x' xml
       CASE (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END)
            WHEN 'bytea'::regtype THEN 'b' WHEN 'text'::regtype THEN 't'
            WHEN 'character varying'::regtype THEN 't' WHEN 'json'::regtype THEN 'n'
            WHEN 'jsonb'::regtype THEN 'j' WHEN 'xml'::regtype THEN 'x' END AS piece_kind,
       a.attnotnull, a.attislocal, a.attidentity, a.attgenerated,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN a.attcollation::regcollation::text END AS collation,
       col_description(a.attrelid, a.attnum) AS comment,
       -- per-column settings; through to_jsonb() as their types differ between versions
       NULLIF(to_jsonb(a) ->> 'attstattarget', '-1') AS stattarget,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
       NULLIF(to_jsonb(a) ->> 'attcompression', '') AS compression,
       -- only the options ALTER COLUMN ... SET (...) takes for a table column:
       -- PostgreSQL 15.20 (Debian bookworm-security) stamps every column with a
       -- server-managed pg_attver=<n> that pg_dump leaves out; copied, it makes
       -- every table differ from its copy
       (SELECT string_agg(o, ', ' ORDER BY o) FROM unnest(a.attoptions) o
         WHERE o LIKE 'n\_distinct=%' OR o LIKE 'n\_distinct\_inherited=%') AS attoptions,
       (SELECT json_agg(json_build_object('grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END,
                                          'privilege', x.privilege_type, 'grantable', x.is_grantable))
          FROM aclexplode(a.attacl) x) AS grants,
       (SELECT json_build_object('name', s.relname, 'start', q.seqstart, 'increment', q.seqincrement,
                                 'min', q.seqmin, 'max', q.seqmax, 'cache', q.seqcache, 'cycle', q.seqcycle,
                                 'type', format_type(q.seqtypid, NULL), 'unlogged', s.relpersistence = 'u')
          FROM pg_depend d JOIN pg_class s ON s.oid = d.objid JOIN pg_sequence q ON q.seqrelid = s.oid
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
           AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i') AS identity_sequence
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
