-- Types and type-like objects: domain with a NOT VALID constraint and a
-- comment on a domain constraint, range with collation and subtype operator
-- class, a schema-local collation, a zero-argument aggregate.
CREATE SCHEMA fid_types;
SET search_path = fid_types;

-- A schema-local collation used by a column and a range type.
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION plain_c (locale = 'C');

CREATE DOMAIN short_code AS text CONSTRAINT short_code_upper CHECK (VALUE = upper(VALUE));
CREATE TABLE coded (id integer PRIMARY KEY, code short_code, name text COLLATE nocase);
INSERT INTO coded VALUES (1, 'ABC', 'Alpha'), (2, 'TOOLONGCODE', 'beta');
-- Added after the data: the long code stays, the constraint is NOT VALID.
ALTER DOMAIN short_code ADD CONSTRAINT short_code_len CHECK (length(VALUE) <= 8) NOT VALID;
COMMENT ON CONSTRAINT short_code_len ON DOMAIN short_code IS 'codes fit on a label';

-- Range with its own collation and a non-default subtype operator class.
CREATE TYPE text_span AS RANGE (SUBTYPE = text, COLLATION = plain_c, SUBTYPE_OPCLASS = text_pattern_ops);
CREATE TABLE shelf (id integer PRIMARY KEY, span text_span);
INSERT INTO shelf VALUES (1, '[a,m)'), (2, '[m,z]');

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE pair AS (a integer, b text COLLATE plain_c);

-- Zero-argument aggregate (*).
CREATE FUNCTION count_step(bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';
CREATE AGGREGATE newcnt(*) (SFUNC = count_step, STYPE = bigint, INITCOND = '0');
CREATE VIEW coded_count AS SELECT newcnt(*) AS n FROM coded;
