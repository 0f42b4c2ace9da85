-- Views, materialized views and rules: a view relying on a primary key's
-- functional dependency, a matview whose text must qualify a table (a CTE
-- shadows it), a disabled rule, definitions the server re-deparses
-- differently after a round trip.
CREATE SCHEMA fid_views;
SET search_path = fid_views;

CREATE TABLE charges (id integer PRIMARY KEY, pay_in_advance boolean, amount numeric);
CREATE TABLE fees (charge_id integer REFERENCES charges, fee numeric);
INSERT INTO charges VALUES (1, true, 10), (2, false, 20);
INSERT INTO fees VALUES (1, 1.5), (1, 2.5), (2, 3);
-- Valid only because id is the primary key (GROUP BY id selects other columns).
CREATE VIEW charge_totals AS
    SELECT c.id, c.pay_in_advance, c.amount, sum(f.fee) AS fees
      FROM charges c JOIN fees f ON f.charge_id = c.id GROUP BY c.id;
CREATE VIEW charge_totals_advance AS SELECT * FROM charge_totals WHERE pay_in_advance;

-- The CTE "fees" shadows the table, so the deparsed text names fid_views.fees.
CREATE MATERIALIZED VIEW fee_report AS
    WITH fees AS (SELECT charge_id, fee * 2 AS fee FROM fid_views.fees)
    SELECT f.charge_id, sum(f.fee) AS doubled, (SELECT count(*) FROM fid_views.fees) AS all_fees
      FROM fees f GROUP BY f.charge_id;

-- Re-deparsed differently after a round trip.
CREATE TABLE ticket (id integer PRIMARY KEY, status varchar(10));
INSERT INTO ticket VALUES (1, 'open'), (2, 'closed'), (3, 'new');
CREATE VIEW open_ticket (ticket_id, ticket_status) AS
    SELECT id, status FROM ticket WHERE status IN ('open', 'new');
ALTER TABLE ticket ADD CONSTRAINT ticket_status_known
    CHECK (status::text = ANY (ARRAY['open'::varchar, 'closed'::varchar, 'new'::varchar]::text[]));

-- Rules, one of them disabled.
CREATE TABLE ticket_log (id integer, note text);
CREATE RULE ticket_log_insert AS ON INSERT TO ticket DO ALSO INSERT INTO ticket_log VALUES (NEW.id, 'inserted');
CREATE RULE ticket_log_delete AS ON DELETE TO ticket DO ALSO INSERT INTO ticket_log VALUES (OLD.id, 'deleted');
ALTER TABLE ticket DISABLE RULE ticket_log_delete;
