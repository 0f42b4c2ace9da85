-- Operator classes and families (made by a superuser: PostgreSQL allows no
-- one else): a btree class ordering integers by absolute value used by an
-- index and a range type, a hash class in a family of another name, a
-- family with loose members added by ALTER OPERATOR FAMILY, comments.
CREATE SCHEMA fid_opclasses;
SET search_path = fid_opclasses;

CREATE FUNCTION abs_cmp(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT CASE WHEN abs(a) < abs(b) THEN -1 WHEN abs(a) > abs(b) THEN 1 ELSE 0 END';
CREATE FUNCTION abs_lt(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) < abs(b)';
CREATE FUNCTION abs_le(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) <= abs(b)';
CREATE FUNCTION abs_eq(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) = abs(b)';
CREATE FUNCTION abs_ge(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) >= abs(b)';
CREATE FUNCTION abs_gt(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) > abs(b)';
CREATE FUNCTION abs_hash(a integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT hashint4(abs(a))';
CREATE OPERATOR <<< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_lt);
CREATE OPERATOR <<= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_le);
CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_eq, HASHES, MERGES);
CREATE OPERATOR >>= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_ge);
CREATE OPERATOR >>> (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_gt);
CREATE OPERATOR CLASS abs_int_ops FOR TYPE integer USING btree AS
    OPERATOR 1 <<<, OPERATOR 2 <<=, OPERATOR 3 ===, OPERATOR 4 >>=, OPERATOR 5 >>>,
    FUNCTION 1 abs_cmp(integer, integer);
COMMENT ON OPERATOR CLASS abs_int_ops USING btree IS 'by absolute value';
COMMENT ON OPERATOR FAMILY abs_int_ops USING btree IS 'absolute value family';

CREATE OPERATOR FAMILY abs_hash_family USING hash;
CREATE OPERATOR CLASS abs_hash_ops FOR TYPE integer USING hash FAMILY abs_hash_family AS
    OPERATOR 1 ===, FUNCTION 1 abs_hash(integer);

-- Loose members: a cross-type comparison added to the btree family.
CREATE FUNCTION abs_cmp_small(a smallint, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT CASE WHEN abs(a) < abs(b) THEN -1 WHEN abs(a) > abs(b) THEN 1 ELSE 0 END';
CREATE FUNCTION abs_lt_small(a smallint, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) < abs(b)';
CREATE OPERATOR <<< (LEFTARG = smallint, RIGHTARG = integer, FUNCTION = abs_lt_small);
ALTER OPERATOR FAMILY abs_int_ops USING btree ADD
    OPERATOR 1 <<< (smallint, integer), FUNCTION 1 (smallint, integer) abs_cmp_small(smallint, integer);

CREATE TABLE signed_value (v integer, w integer);
INSERT INTO signed_value VALUES (-3, 1), (2, 2), (-1, 3), (1, 4);
CREATE INDEX signed_value_abs ON signed_value (v abs_int_ops);
CREATE INDEX signed_value_hash ON signed_value USING hash (w abs_hash_ops);
CREATE TYPE abs_span AS RANGE (SUBTYPE = integer, SUBTYPE_OPCLASS = abs_int_ops);
CREATE TABLE span_holder (s abs_span);
INSERT INTO span_holder VALUES ('[-1,-5]');
