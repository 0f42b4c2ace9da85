DO $$ BEGIN
    IF (SELECT count(*) FROM same_length) <> 1 THEN
        RAISE EXCEPTION 'operator === wrong';
    END IF;
END $$;
