-- The copy's configuration parses with the copy's parser and drops English
-- stop words through the copy's dictionary.
DO $$
BEGIN
    IF NOT to_tsvector('words_cfg', 'The quick fox') @@ 'quick'::tsquery
       OR to_tsvector('words_cfg', 'The quick fox') @@ 'the'::tsquery THEN
        RAISE EXCEPTION 'words_cfg in the copy gives %', to_tsvector('words_cfg', 'The quick fox');
    END IF;
    IF (SELECT prsnamespace::regnamespace::text FROM pg_ts_config c JOIN pg_ts_parser p ON p.oid = c.cfgparser
         WHERE c.oid = 'words_cfg'::regconfig) <> current_schema() THEN
        RAISE EXCEPTION 'words_cfg of the copy uses a parser of another schema';
    END IF;
END
$$;
