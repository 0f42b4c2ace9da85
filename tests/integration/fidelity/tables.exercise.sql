INSERT INTO office (street) VALUES ('New Street');
INSERT INTO event VALUES (3, '2024-06-01', NULL), (4, '2025-06-01', NULL);
INSERT INTO measured (reading) VALUES (3.5);
DO $$ BEGIN
    IF (SELECT city FROM office WHERE street = 'New Street') <> 'Lisbon' THEN
        RAISE EXCEPTION 'typed table lost its column default';
    END IF;
    IF (SELECT what FROM event WHERE id = 3) IS NOT NULL OR (SELECT what FROM event WHERE id = 4) <> 'touched' THEN
        RAISE EXCEPTION 'trigger state on partitions differs';
    END IF;
END $$;
