INSERT INTO doc VALUES (3, 'A fox in the clone');
DO $$ BEGIN
    IF (SELECT count(*) FROM doc_search('fox')) <> 2 THEN
        RAISE EXCEPTION 'doc_search reads another schema''s doc table';
    END IF;
END $$;
