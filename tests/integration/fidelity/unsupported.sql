-- Objects dbclone does not recreate: an operator class (and the family it
-- makes) and a foreign table. The clone must stop before touching the
-- target and name each of them -- never copy the rest and skip these.
CREATE SCHEMA fid_unsupported;
SET search_path = fid_unsupported;

CREATE FUNCTION abs_cmp(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT CASE WHEN abs(a) < abs(b) THEN -1 WHEN abs(a) > abs(b) THEN 1 ELSE 0 END';
CREATE FUNCTION abs_lt(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) < abs(b)';
CREATE FUNCTION abs_le(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) <= abs(b)';
CREATE FUNCTION abs_eq(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) = abs(b)';
CREATE FUNCTION abs_ge(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) >= abs(b)';
CREATE FUNCTION abs_gt(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs(a) > abs(b)';
CREATE OPERATOR <<< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_lt);
CREATE OPERATOR <<= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_le);
CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_eq);
CREATE OPERATOR >>= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_ge);
CREATE OPERATOR >>> (LEFTARG = integer, RIGHTARG = integer, FUNCTION = abs_gt);
CREATE OPERATOR CLASS abs_int_ops FOR TYPE integer USING btree AS
    OPERATOR 1 <<<, OPERATOR 2 <<=, OPERATOR 3 ===, OPERATOR 4 >>=, OPERATOR 5 >>>,
    FUNCTION 1 abs_cmp(integer, integer);
CREATE TABLE signed_value (v integer);
INSERT INTO signed_value VALUES (-3), (2), (-1);
CREATE INDEX signed_value_abs ON signed_value (v abs_int_ops);


CREATE FOREIGN DATA WRAPPER fid_unsupported_fdw;
CREATE SERVER fid_unsupported_server FOREIGN DATA WRAPPER fid_unsupported_fdw;
CREATE FOREIGN TABLE remote_note (id integer, note text) SERVER fid_unsupported_server;
