-- Run against a clone: the classes order and hash by absolute value.
SET enable_seqscan = off;
DO $$ BEGIN
    IF (SELECT string_agg(v::text, ',' ORDER BY v USING <<<, w) FROM signed_value) <> '-1,1,2,-3' THEN
        RAISE EXCEPTION 'abs ordering: %', (SELECT string_agg(v::text, ',' ORDER BY v USING <<<, w) FROM signed_value);
    END IF;
    IF NOT (SELECT s @> 3 FROM span_holder) THEN
        RAISE EXCEPTION 'range subtype opclass lost';
    END IF;
    IF (SELECT count(*) FROM signed_value WHERE w === -2) <> 1 THEN
        RAISE EXCEPTION 'hash class';
    END IF;
END $$;
RESET enable_seqscan;
