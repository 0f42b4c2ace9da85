-- Run against a clone (search_path = the clone's schema): fires the CHECK's
-- functions, the audit trigger, the procedure, the view and its functions.
INSERT INTO artist (id, name) VALUES (10, 'Clone Artist');
CALL add_artist(11, 'Procedure Artist');
UPDATE artist SET name = 'Nina S' WHERE id = 1;
SELECT * FROM artist_stats;
DO $$ BEGIN
    IF (SELECT count(*) FROM audit WHERE at_id IN (1, 10, 11)) <> 3 THEN
        RAISE EXCEPTION 'audit rows of the clone went elsewhere';
    END IF;
    IF (SELECT kind FROM artist WHERE id = 10) <> 'artist' THEN
        RAISE EXCEPTION 'the regclass default names another schema''s table: %', (SELECT kind FROM artist WHERE id = 10);
    END IF;
    IF (SELECT n FROM artist_stats) <> (SELECT count(*) FROM artist) THEN
        RAISE EXCEPTION 'artist_count() reads another schema';
    END IF;
END $$;
