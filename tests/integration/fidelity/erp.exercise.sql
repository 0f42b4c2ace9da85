-- Run against a clone: the sibling's trigger function and functions serve
-- the copy; post_order updates the copy's table. (An explicit id: in another
-- database the sibling's sequence starts afresh.)
INSERT INTO sales_order (id, currency, amount) VALUES (9000, 'EUR', 3);
SELECT post_order(5000);
DO $$ BEGIN
    IF (SELECT state FROM sales_order WHERE id = 5000) <> 'posted' THEN
        RAISE EXCEPTION 'post_order updated another schema';
    END IF;
    IF NOT (SELECT stamped FROM sales_order WHERE currency = 'EUR' AND amount = 3) THEN
        RAISE EXCEPTION 'sibling trigger function not used';
    END IF;
    IF (SELECT total FROM order_total WHERE id = 5000) <> 10.50 THEN
        RAISE EXCEPTION 'order_total';
    END IF;
END $$;
