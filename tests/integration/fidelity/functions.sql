-- Functions whose text names their own schema: SET search_path, qualified
-- names in SQL and PL/pgSQL bodies, regclass casts in defaults; and string
-- constants and comments that merely mention the name (left alone).
CREATE SCHEMA fid_functions;
SET search_path = fid_functions;

CREATE FUNCTION padded_by_whitespace(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path TO 'fid_functions', 'public'
    AS $$ SELECT t ~ '^\s' OR t ~ '\s$' $$;
CREATE FUNCTION clean_name(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path TO 'fid_functions', 'public'
    AS $$ SELECT NOT padded_by_whitespace(t) $$;
CREATE TABLE artist (
    id integer PRIMARY KEY,
    name text CHECK (clean_name(name)),
    -- text, not regclass: a reg* column's values are OIDs, copied as the
    -- names they print as (naming the source schema)
    kind text DEFAULT ('fid_functions.artist'::regclass)::text
);
INSERT INTO artist (id, name) VALUES (1, 'Nina'), (2, 'Miles');

CREATE TABLE audit (at_id integer, what text, tag text);
-- PL/pgSQL: a qualified table, a string constant and a comment naming the schema.
CREATE FUNCTION artist_audit() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    -- writes to fid_functions.audit (this comment stays as it is)
    INSERT INTO fid_functions.audit VALUES (NEW.id, 'fid_functions.artist changed', E'it''s fid_functions');
    RETURN NEW;
END
$body$;
CREATE TRIGGER artist_audit AFTER INSERT OR UPDATE ON artist FOR EACH ROW EXECUTE FUNCTION artist_audit();
INSERT INTO artist (id, name) VALUES (3, 'Ella');

-- SQL function with a qualified name and a quoted identifier.
CREATE TABLE "Quoted Table" (n integer);
INSERT INTO "Quoted Table" VALUES (7);
CREATE FUNCTION quoted_sum() RETURNS bigint LANGUAGE sql STABLE
    AS 'SELECT sum(n) FROM fid_functions."Quoted Table"';
-- A standard SQL body (parsed: stored by reference, not by text).
CREATE FUNCTION artist_count() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM fid_functions.artist; END;
CREATE PROCEDURE add_artist(p_id integer, p_name text) LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fid_functions.artist (id, name) VALUES (p_id, p_name);
END $$;
CREATE VIEW artist_stats AS SELECT quoted_sum() AS q, artist_count() AS n;
