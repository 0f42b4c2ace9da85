-- A music database's shape: many triggers of every kind -- constraint
-- triggers (deferred), INSTEAD OF triggers on a view, statement triggers
-- with transition tables, column-specific and WHEN triggers, a trigger
-- that is ENABLE ALWAYS and one that is ENABLE REPLICA -- and the types
-- such schemas use: enums, ranges, multiranges, composites, domains with
-- several checks.
CREATE SCHEMA fid_music;
SET search_path = fid_music;

CREATE TYPE release_status AS ENUM ('official', 'promotion', 'bootleg');
ALTER TYPE release_status ADD VALUE 'pseudo' BEFORE 'bootleg';
CREATE TYPE partial_date AS (year smallint, month smallint, day smallint);
CREATE TYPE year_span AS RANGE (SUBTYPE = integer);
CREATE DOMAIN mbid AS uuid NOT NULL;
CREATE DOMAIN track_length AS integer
    CONSTRAINT track_length_positive CHECK (VALUE > 0)
    CONSTRAINT track_length_sane CHECK (VALUE < 36000000);
CREATE DOMAIN edit_note AS text DEFAULT '' CHECK (length(VALUE) < 2000) CHECK (VALUE !~ '^\s');

CREATE TABLE artist (
    id serial PRIMARY KEY,
    gid mbid UNIQUE,
    name text NOT NULL,
    begin_date partial_date,
    active year_span,
    active_multi int4multirange,
    last_updated timestamptz DEFAULT now(),
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0)
);
CREATE TABLE recording (
    id serial PRIMARY KEY,
    artist integer NOT NULL REFERENCES artist,
    name text NOT NULL,
    length track_length,
    status release_status DEFAULT 'official',
    note edit_note
);
CREATE TABLE artist_meta (id integer PRIMARY KEY REFERENCES artist ON DELETE CASCADE, recordings integer NOT NULL DEFAULT 0);
CREATE TABLE change_log (tbl text, op text, n integer, at integer);
CREATE SEQUENCE change_seq;

INSERT INTO artist (gid, name, begin_date, active, active_multi) VALUES
    ('6f2c2b8e-0c5e-4a51-9d7a-8a0d5f0d0001', 'Nina', ROW(1933, 2, 21), '[1954,2003)', '{[1954,1970),[1980,2003)}'),
    ('6f2c2b8e-0c5e-4a51-9d7a-8a0d5f0d0002', 'Miles', ROW(1926, NULL, NULL), '[1944,1991)', NULL);
INSERT INTO artist_meta (id) SELECT id FROM artist;
INSERT INTO recording (artist, name, length) VALUES (1, 'Feeling Good', 173000), (2, 'So What', 562000);
UPDATE artist_meta m SET recordings = (SELECT count(*) FROM recording r WHERE r.artist = m.id);

-- Row trigger with WHEN and column list.
CREATE FUNCTION touch_last_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_updated := '2000-01-01 00:00:00+00';
    RETURN NEW;
END $$;
CREATE TRIGGER artist_touch BEFORE UPDATE OF name ON artist
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION touch_last_updated();

-- Statement triggers with transition tables.
CREATE FUNCTION log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO change_log SELECT TG_TABLE_NAME, TG_OP, count(*), nextval('change_seq') FROM new_rows;
    ELSE
        INSERT INTO change_log SELECT TG_TABLE_NAME, TG_OP, count(*), nextval('change_seq') FROM old_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER recording_ins AFTER INSERT ON recording REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_changes();
CREATE TRIGGER recording_del AFTER DELETE ON recording REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_changes();

-- Deferred constraint trigger keeping a counter.
CREATE FUNCTION count_recordings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE artist_meta SET recordings = (SELECT count(*) FROM recording WHERE artist = NEW.artist)
     WHERE id = NEW.artist;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER recording_count AFTER INSERT OR UPDATE ON recording
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_recordings();

-- Trigger states: ALWAYS and REPLICA (fire under session_replication_role).
CREATE FUNCTION no_op() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER artist_always BEFORE INSERT ON artist FOR EACH ROW EXECUTE FUNCTION no_op();
ALTER TABLE artist ENABLE ALWAYS TRIGGER artist_always;
CREATE TRIGGER artist_replica BEFORE INSERT ON artist FOR EACH ROW EXECUTE FUNCTION no_op();
ALTER TABLE artist ENABLE REPLICA TRIGGER artist_replica;

-- An updatable view through INSTEAD OF triggers.
CREATE VIEW artist_recording AS
    SELECT r.id, a.name AS artist_name, r.name AS recording_name, r.length
      FROM recording r JOIN artist a ON a.id = r.artist;
CREATE FUNCTION artist_recording_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO recording (artist, name, length)
    SELECT a.id, NEW.recording_name, NEW.length FROM artist a WHERE a.name = NEW.artist_name;
    RETURN NEW;
END $$;
CREATE TRIGGER artist_recording_ins INSTEAD OF INSERT ON artist_recording
    FOR EACH ROW EXECUTE FUNCTION artist_recording_ins();
COMMENT ON TRIGGER artist_recording_ins ON artist_recording IS 'inserts through the view';
