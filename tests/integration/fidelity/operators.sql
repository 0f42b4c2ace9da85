-- Operators (with a commutator) and conversions, and a view using one.
CREATE SCHEMA fid_operators;
SET search_path = fid_operators;

CREATE FUNCTION text_len_eq(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS 'SELECT length(a) = length(b)';
CREATE OPERATOR === (LEFTARG = text, RIGHTARG = text, FUNCTION = text_len_eq, COMMUTATOR = ===);
CREATE TABLE word (w text);
INSERT INTO word VALUES ('abc'), ('xyz'), ('hello');
CREATE VIEW same_length AS SELECT a.w AS a, b.w AS b FROM word a JOIN word b ON a.w === b.w AND a.w < b.w;

CREATE CONVERSION latin1_to_utf8_local FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;
