-- Run against a clone: identity and owned sequence continue past the data,
-- rows route to the right partitions, generated columns compute, the
-- exclusion and deferred constraints hold.
INSERT INTO customer (email, name) VALUES ('d@x.org', 'Dora');
INSERT INTO invoice (customer_id, issued, total_cents) VALUES (115, '2025-03-01', 900);
INSERT INTO payment (invoice_id, invoice_issued, amount_cents) VALUES (1001, '2025-02-01', 2000);
BEGIN;
UPDATE ledger SET pos = pos + 1;
INSERT INTO ledger VALUES (5, 4, 10);
INSERT INTO ledger VALUES (4, 3, 9);
COMMIT;
DO $$ BEGIN
    IF (SELECT id FROM customer WHERE email = 'd@x.org') <> 115 THEN
        RAISE EXCEPTION 'identity did not continue: %', (SELECT id FROM customer WHERE email = 'd@x.org');
    END IF;
    IF (SELECT id FROM invoice WHERE customer_id = 115) <> 1004 THEN
        RAISE EXCEPTION 'owned sequence did not continue';
    END IF;
    IF (SELECT tableoid::regclass::text FROM invoice WHERE id = 1000) <> 'invoice_2024'
       OR (SELECT count(*) FROM invoice_other) <> 1 THEN
        RAISE EXCEPTION 'partition routing differs';
    END IF;
    IF (SELECT search_name FROM customer WHERE email = 'b@x.org') <> 'b@x.org' THEN
        RAISE EXCEPTION 'generated column differs';
    END IF;
    SET CONSTRAINTS ALL IMMEDIATE;
    BEGIN
        INSERT INTO plan VALUES ('basic2', 1, '[2024-06-01,2024-07-01)');
        RAISE EXCEPTION 'exclusion constraint missing';
    EXCEPTION WHEN exclusion_violation THEN NULL;
    END;
END $$;
