-- An ERP's sales schema that uses a sibling schema (erp.needs.sql): a
-- foreign key to its table, its domain and enum as column types, its
-- sequence as a default, its functions in a view, a CHECK and a trigger.
-- The copy must keep pointing at the sibling, never at a renamed one.
CREATE SCHEMA fid_erp;
SET search_path = fid_erp;

CREATE TABLE sales_order (
    id integer PRIMARY KEY DEFAULT nextval('fid_erp_shared.document_no'),
    currency char(3) NOT NULL REFERENCES fid_erp_shared.currency,
    amount fid_erp_shared.money_amount NOT NULL,
    state fid_erp_shared.doc_state NOT NULL DEFAULT 'draft',
    stamped boolean NOT NULL DEFAULT false,
    CHECK (fid_erp_shared.round_to(amount, currency) = amount)
);
CREATE TRIGGER sales_order_stamp BEFORE INSERT ON sales_order FOR EACH ROW
    EXECUTE FUNCTION fid_erp_shared.stamp();
INSERT INTO sales_order (currency, amount) VALUES ('EUR', 10.50), ('JPY', 1200);
CREATE TABLE order_line (
    order_id integer REFERENCES sales_order ON DELETE CASCADE,
    qty integer NOT NULL,
    price fid_erp_shared.money_amount
);
INSERT INTO order_line VALUES (5000, 2, 5.25), (5001, 1, 1200);
CREATE VIEW order_total AS
    SELECT o.id, o.currency, fid_erp_shared.round_to(sum(l.qty * l.price), o.currency) AS total
      FROM sales_order o JOIN order_line l ON l.order_id = o.id GROUP BY o.id;
CREATE FUNCTION post_order(p_id integer) RETURNS fid_erp_shared.doc_state LANGUAGE sql AS $$
    UPDATE fid_erp.sales_order SET state = 'posted' WHERE id = p_id RETURNING state
$$;
