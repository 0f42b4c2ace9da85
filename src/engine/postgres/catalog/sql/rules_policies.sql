SELECT 'RULE' AS kind, r.oid, r.rulename AS name, quote_ident(r.rulename) AS qname, c.relname AS table_name,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified_table,
       pg_get_ruledef(r.oid) AS definition, r.ev_enabled AS enabled,
       obj_description(r.oid, 'pg_rewrite') AS comment
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND r.rulename <> '_RETURN'
UNION ALL
SELECT 'POLICY', p.oid, p.polname, quote_ident(p.polname), c.relname,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname),
       'CREATE POLICY ' || quote_ident(p.polname) || ' ON ' || quote_ident(c.relname)
       || CASE WHEN p.polpermissive THEN '' ELSE ' AS RESTRICTIVE' END
       || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                   WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
       || ' TO ' || COALESCE((SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ')
                                FROM unnest(p.polroles) r), 'PUBLIC')
       || COALESCE(' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', '')
       || COALESCE(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''),
       'O', obj_description(p.oid, 'pg_policy')
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1
 ORDER BY 1, 4, 3
