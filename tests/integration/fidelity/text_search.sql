-- Text search dictionaries and configurations local to the schema, used by
-- an index and a function.
CREATE SCHEMA fid_text_search;
SET search_path = fid_text_search;

CREATE TEXT SEARCH DICTIONARY english_stem_nostop (TEMPLATE = pg_catalog.snowball, language = 'english');
CREATE TEXT SEARCH DICTIONARY simple_keep (TEMPLATE = pg_catalog.simple, stopwords = 'english', accept = false);
CREATE TEXT SEARCH CONFIGURATION docs (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION docs ALTER MAPPING FOR asciiword WITH simple_keep, english_stem_nostop;
ALTER TEXT SEARCH CONFIGURATION docs DROP MAPPING FOR url;
COMMENT ON TEXT SEARCH CONFIGURATION docs IS 'documents';

CREATE TABLE doc (id integer PRIMARY KEY, body text);
INSERT INTO doc VALUES (1, 'The quick brown foxes jumped'), (2, 'Lazy dogs sleeping');
CREATE INDEX doc_fts ON doc USING gin (to_tsvector('fid_text_search.docs', body));
CREATE FUNCTION doc_search(q text) RETURNS SETOF integer LANGUAGE sql STABLE
    AS $$ SELECT id FROM fid_text_search.doc WHERE to_tsvector('fid_text_search.docs', body) @@ plainto_tsquery('fid_text_search.docs', q) $$;
