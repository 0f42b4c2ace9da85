DO $$ BEGIN
    IF (SELECT count(*) FROM coded WHERE name = 'ALPHA') <> 1 THEN
        RAISE EXCEPTION 'collation nocase lost';
    END IF;
    IF (SELECT n FROM coded_count) <> 2 THEN
        RAISE EXCEPTION 'aggregate newcnt(*) wrong';
    END IF;
END $$;
