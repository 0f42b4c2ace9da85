-- Run against a clone: the INSTEAD OF trigger, the transition-table
-- statement trigger, the deferred constraint trigger and the WHEN trigger.
BEGIN;
INSERT INTO artist_recording (artist_name, recording_name, length) VALUES ('Nina', 'Sinnerman', 620000);
COMMIT;
UPDATE artist SET name = 'Miles D' WHERE id = 2;
DO $$ BEGIN
    IF (SELECT recordings FROM artist_meta WHERE id = 1) <> 2 THEN
        RAISE EXCEPTION 'constraint trigger did not count';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM change_log WHERE op = 'INSERT' AND n = 1 AND tbl = 'recording') THEN
        RAISE EXCEPTION 'transition table trigger did not log';
    END IF;
    IF (SELECT last_updated FROM artist WHERE id = 2) <> '2000-01-01 00:00:00+00' THEN
        RAISE EXCEPTION 'WHEN trigger did not fire';
    END IF;
    BEGIN
        INSERT INTO recording (artist, name, length) VALUES (1, 'Bad', -1);
        RAISE EXCEPTION 'domain check missing';
    EXCEPTION WHEN check_violation THEN NULL;
    END;
END $$;
