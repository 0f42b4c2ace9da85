-- Extensions installed inside the schema (CREATE EXTENSION ... WITH SCHEMA),
-- as a mapping site or a forum does for fuzzy search and case-insensitive
-- names: a column of the extension's type, an index with its operator
-- class, a function calling it. Trusted extensions: the database owner
-- creates them.
CREATE SCHEMA fid_extensions;
CREATE EXTENSION pg_trgm WITH SCHEMA fid_extensions;
CREATE EXTENSION citext WITH SCHEMA fid_extensions;
COMMENT ON EXTENSION citext IS 'case-insensitive names';
SET search_path = fid_extensions;

CREATE TABLE place (id integer PRIMARY KEY, name citext NOT NULL UNIQUE, descr text);
INSERT INTO place VALUES (1, 'Lisboa', 'city by the river'), (2, 'Porto', 'city of bridges');
CREATE INDEX place_descr_trgm ON place USING gin (descr gin_trgm_ops);
CREATE FUNCTION fuzzy(q text) RETURNS SETOF integer LANGUAGE sql STABLE
    AS $$ SELECT id FROM fid_extensions.place WHERE fid_extensions.similarity(descr, q) > 0.3 $$;
