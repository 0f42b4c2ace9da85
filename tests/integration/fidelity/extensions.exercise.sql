-- Run against a clone: the copy's extension types and functions serve it.
DO $$ BEGIN
    IF (SELECT id FROM place WHERE name = 'LISBOA') <> 1 THEN
        RAISE EXCEPTION 'citext column lost its type';
    END IF;
    IF (SELECT count(*) FROM fuzzy('city of bridge')) <> 1 THEN
        RAISE EXCEPTION 'similarity() of the copy not used';
    END IF;
END $$;
