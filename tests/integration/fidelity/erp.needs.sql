-- What the ERP family's schema uses from a sibling schema that is not
-- cloned with it; loaded into every database the copy goes to first.
CREATE SCHEMA fid_erp_shared;
CREATE DOMAIN fid_erp_shared.money_amount AS numeric(14, 2) CHECK (VALUE > -1e9);
CREATE TYPE fid_erp_shared.doc_state AS ENUM ('draft', 'posted', 'void');
CREATE TABLE fid_erp_shared.currency (code char(3) PRIMARY KEY, digits integer NOT NULL);
INSERT INTO fid_erp_shared.currency VALUES ('EUR', 2), ('JPY', 0);
CREATE SEQUENCE fid_erp_shared.document_no START 5000;
CREATE FUNCTION fid_erp_shared.round_to(amount numeric, cur char(3)) RETURNS numeric LANGUAGE sql STABLE
    AS 'SELECT round(amount, (SELECT digits FROM fid_erp_shared.currency WHERE code = cur))';
CREATE FUNCTION fid_erp_shared.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.stamped := true;
    RETURN NEW;
END $$;
