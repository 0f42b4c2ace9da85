-- Operators and conversions of the schema, as CREATE statements. Names of
-- functions and operators print unqualified when the schema's own (the
-- reader runs with search_path = the schema, pg_catalog).
SELECT 'OPERATOR' AS kind, o.oid, 'pg_operator:' || o.oid AS key,
       o.oid::regoperator::text AS name,
       'CREATE OPERATOR ' || o.oprname || ' ('
       || 'FUNCTION = ' || o.oprcode::regproc::text
       || CASE WHEN o.oprleft <> 0 THEN ', LEFTARG = ' || format_type(o.oprleft, NULL) ELSE '' END
       || CASE WHEN o.oprright <> 0 THEN ', RIGHTARG = ' || format_type(o.oprright, NULL) ELSE '' END
       || CASE WHEN o.oprcom <> 0 THEN ', COMMUTATOR = OPERATOR(' || CASE WHEN cn.nspname = $1 THEN '' ELSE quote_ident(cn.nspname) || '.' END || co.oprname || ')' ELSE '' END
       || CASE WHEN o.oprnegate <> 0 THEN ', NEGATOR = OPERATOR(' || CASE WHEN nn.nspname = $1 THEN '' ELSE quote_ident(nn.nspname) || '.' END || ng.oprname || ')' ELSE '' END
       || CASE WHEN o.oprrest <> 0 THEN ', RESTRICT = ' || o.oprrest::regproc::text ELSE '' END
       || CASE WHEN o.oprjoin <> 0 THEN ', JOIN = ' || o.oprjoin::regproc::text ELSE '' END
       || CASE WHEN o.oprcanhash THEN ', HASHES' ELSE '' END
       || CASE WHEN o.oprcanmerge THEN ', MERGES' ELSE '' END || ')' AS definition,
       obj_description(o.oid, 'pg_operator') AS comment
  FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
  LEFT JOIN pg_operator co ON co.oid = o.oprcom LEFT JOIN pg_namespace cn ON cn.oid = co.oprnamespace
  LEFT JOIN pg_operator ng ON ng.oid = o.oprnegate LEFT JOIN pg_namespace nn ON nn.oid = ng.oprnamespace
 WHERE n.nspname = $1
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_operator'::regclass AND x.objid = o.oid AND x.deptype = 'e')
UNION ALL
SELECT 'CONVERSION', c.oid, 'pg_conversion:' || c.oid, c.conname,
       format('CREATE %sCONVERSION %I FOR %L TO %L FROM %s', CASE WHEN c.condefault THEN 'DEFAULT ' ELSE '' END,
              c.conname, pg_encoding_to_char(c.conforencoding), pg_encoding_to_char(c.contoencoding),
              c.conproc::regproc::text),
       obj_description(c.oid, 'pg_conversion')
  FROM pg_conversion c JOIN pg_namespace n ON n.oid = c.connamespace
 WHERE n.nspname = $1
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_conversion'::regclass AND x.objid = c.oid AND x.deptype = 'e')
 ORDER BY 1, 4
