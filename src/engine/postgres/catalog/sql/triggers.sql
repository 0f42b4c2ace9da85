SELECT t.oid, t.tgname, quote_ident(t.tgname) AS qname, c.relname AS table_name,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified_table,
       pg_get_triggerdef(t.oid) AS definition, t.tgenabled,
       -- partitions whose clone of this trigger is in another state: table|state;...
       (SELECT string_agg(quote_ident(pc.relname) || '|' || ct.tgenabled::text, ';' ORDER BY pc.relname)
          FROM pg_trigger ct JOIN pg_class pc ON pc.oid = ct.tgrelid
         WHERE ct.tgparentid = t.oid AND ct.tgenabled <> t.tgenabled) AS partition_states,
       obj_description(t.oid, 'pg_trigger') AS comment
  FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND NOT t.tgisinternal AND t.tgparentid = 0
 ORDER BY c.relname, t.tgname
