-- Text search parsers and templates (their functions; only a superuser can
-- create them: target/load_preflight.h), dictionaries (template, options)
-- and configurations (parser, token mappings as pg_dump writes them) of the
-- schema. Functions print as regproc under search_path = the schema,
-- pg_catalog: unqualified where visible, like every other reference.
SELECT 'TEXT SEARCH DICTIONARY' AS kind, d.oid, 'pg_ts_dict:' || d.oid AS key, d.dictname AS name,
       format('CREATE TEXT SEARCH DICTIONARY %I (TEMPLATE = %s%s)', d.dictname,
              CASE WHEN tn.nspname = 'pg_catalog' THEN 'pg_catalog.' ELSE '' END || quote_ident(t.tmplname),
              ', ' || d.dictinitoption) AS definition,
       obj_description(d.oid, 'pg_ts_dict') AS comment
  FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
  JOIN pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
 WHERE n.nspname = $1
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_ts_dict'::regclass AND x.objid = d.oid AND x.deptype = 'e')
UNION ALL
SELECT 'TEXT SEARCH CONFIGURATION', c.oid, 'pg_ts_config:' || c.oid, c.cfgname,
       format('CREATE TEXT SEARCH CONFIGURATION %I (PARSER = %s)', c.cfgname,
              CASE WHEN pn.nspname = 'pg_catalog' THEN 'pg_catalog.' ELSE '' END || quote_ident(p.prsname))
       || coalesce((SELECT string_agg(format(E';\nALTER TEXT SEARCH CONFIGURATION %I ADD MAPPING FOR %s WITH %s',
                                             c.cfgname, m.alias, m.dicts), '' ORDER BY m.tokid)
                      FROM (SELECT t.tokid, t.alias,
                                   string_agg(mp.mapdict::regdictionary::text, ', ' ORDER BY mp.mapseqno) AS dicts
                              FROM pg_ts_config_map mp JOIN ts_token_type(c.cfgparser) t ON t.tokid = mp.maptokentype
                             WHERE mp.mapcfg = c.oid GROUP BY t.tokid, t.alias) m), ''),
       obj_description(c.oid, 'pg_ts_config')
  FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
  JOIN pg_ts_parser p ON p.oid = c.cfgparser JOIN pg_namespace pn ON pn.oid = p.prsnamespace
 WHERE n.nspname = $1
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_ts_config'::regclass AND x.objid = c.oid AND x.deptype = 'e')
UNION ALL
SELECT 'TEXT SEARCH PARSER', p.oid, 'pg_ts_parser:' || p.oid, p.prsname,
       format('CREATE TEXT SEARCH PARSER %I (START = %s, GETTOKEN = %s, END = %s, LEXTYPES = %s%s)', p.prsname,
              p.prsstart::regproc, p.prstoken::regproc, p.prsend::regproc, p.prslextype::regproc,
              CASE WHEN p.prsheadline <> 0 THEN ', HEADLINE = ' || p.prsheadline::regproc::text ELSE '' END),
       obj_description(p.oid, 'pg_ts_parser')
  FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = p.prsnamespace
 WHERE n.nspname = $1
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_ts_parser'::regclass AND x.objid = p.oid AND x.deptype = 'e')
UNION ALL
SELECT 'TEXT SEARCH TEMPLATE', t.oid, 'pg_ts_template:' || t.oid, t.tmplname,
       format('CREATE TEXT SEARCH TEMPLATE %I (%sLEXIZE = %s)', t.tmplname,
              CASE WHEN t.tmplinit <> 0 THEN 'INIT = ' || t.tmplinit::regproc::text || ', ' ELSE '' END,
              t.tmpllexize::regproc),
       obj_description(t.oid, 'pg_ts_template')
  FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace
 WHERE n.nspname = $1
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_ts_template'::regclass AND x.objid = t.oid AND x.deptype = 'e')
 ORDER BY 1, 4
