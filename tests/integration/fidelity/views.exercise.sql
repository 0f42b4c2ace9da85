INSERT INTO fees VALUES (2, 100);
REFRESH MATERIALIZED VIEW fee_report;
INSERT INTO ticket VALUES (4, 'open');
DELETE FROM ticket WHERE id = 4;
DO $$ BEGIN
    IF (SELECT doubled FROM fee_report WHERE charge_id = 2) <> 206 THEN
        RAISE EXCEPTION 'fee_report reads another schema''s fees';
    END IF;
    IF (SELECT count(*) FROM ticket_log) <> 1 THEN
        RAISE EXCEPTION 'rules: expected only the insert rule to fire';
    END IF;
    PERFORM * FROM charge_totals_advance;
END $$;
