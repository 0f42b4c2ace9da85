-- Object kinds of PostgreSQL's regression suite that applications use:
-- aggregates of every form (ordered-set, hypothetical, moving, combine,
-- polymorphic), window functions over them, procedures with OUT/INOUT,
-- materialized views with indexes, inheritance with multiple parents,
-- unlogged tables, column statistics targets, collations, event-less trigger
-- kinds, table storage parameters and CLUSTER ON.
CREATE SCHEMA fid_regress;
SET search_path = fid_regress;

CREATE COLLATION de_phonebook (provider = icu, locale = 'de-u-co-phonebk');
CREATE COLLATION num_sort (provider = icu, locale = 'en-u-kn-true');

CREATE TABLE sample (
    grp text COLLATE num_sort,
    v numeric,
    w integer,
    label text COLLATE de_phonebook
) WITH (fillfactor = 70, autovacuum_enabled = false);
ALTER TABLE sample ALTER COLUMN v SET STATISTICS 1000;
ALTER TABLE sample ALTER COLUMN label SET (n_distinct = -0.5);
INSERT INTO sample VALUES ('g10', 1, 1, 'Müller'), ('g2', 2, 2, 'Mueller'), ('g2', 4, 3, 'Mahler'),
    ('g10', 8, 4, 'Zorn'), ('g1', NULL, 5, 'Abel');

-- Moving aggregate with inverse transition and a combine function.
CREATE FUNCTION sum_step(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
    AS 'SELECT coalesce($1, 0) + coalesce($2, 0)';
CREATE FUNCTION sum_unstep(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
    AS 'SELECT $1 - coalesce($2, 0)';
CREATE AGGREGATE msum(numeric) (
    SFUNC = sum_step, STYPE = numeric, INITCOND = '0', COMBINEFUNC = sum_step, PARALLEL = SAFE,
    MSFUNC = sum_step, MINVFUNC = sum_unstep, MSTYPE = numeric, MINITCOND = '0'
);
COMMENT ON AGGREGATE msum(numeric) IS 'sum with an inverse';
-- Polymorphic aggregate with a final function.
CREATE FUNCTION first_step(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE
    AS 'SELECT coalesce($1, $2)';
CREATE AGGREGATE first_of(anycompatible) (SFUNC = first_step, STYPE = anycompatible);
-- A normal aggregate with a final function, and an ordered-set aggregate
-- (WITHIN GROUP) whose final function takes the direct argument.
CREATE FUNCTION list_step(text[], text) RETURNS text[] LANGUAGE sql IMMUTABLE AS 'SELECT $1 || $2';
CREATE FUNCTION list_final(text[]) RETURNS text LANGUAGE sql IMMUTABLE
    AS 'SELECT array_to_string($1, ''/'')';
CREATE AGGREGATE path_of(text) (SFUNC = list_step, STYPE = text[], FINALFUNC = list_final, INITCOND = '{}');
CREATE FUNCTION nth_final(text[], integer, text) RETURNS text LANGUAGE sql IMMUTABLE
    AS 'SELECT x FROM unnest($1) x ORDER BY x OFFSET $2 - 1 LIMIT 1';
CREATE AGGREGATE nth_label(integer ORDER BY text) (SFUNC = list_step, STYPE = text[], INITCOND = '{}',
    FINALFUNC = nth_final, FINALFUNC_EXTRA);

-- Window functions over the aggregates in a view, and a materialized view with indexes.
CREATE VIEW running AS
    SELECT grp, w, msum(v) OVER (PARTITION BY grp ORDER BY w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s,
           first_of(label) OVER (ORDER BY w) AS first_label,
           row_number() OVER w2 AS rn
      FROM sample WINDOW w2 AS (ORDER BY label COLLATE de_phonebook, w);
CREATE MATERIALIZED VIEW grp_summary WITH (fillfactor = 60) AS
    SELECT grp, msum(v) AS total, path_of(label ORDER BY label) AS labels, count(*) AS n,
           nth_label(1) WITHIN GROUP (ORDER BY label) AS first_label
      FROM sample GROUP BY grp;
CREATE UNIQUE INDEX grp_summary_grp ON grp_summary (grp);
CREATE INDEX grp_summary_total ON grp_summary (total DESC NULLS LAST);
ALTER MATERIALIZED VIEW grp_summary CLUSTER ON grp_summary_grp;
COMMENT ON MATERIALIZED VIEW grp_summary IS 'per group';
CREATE MATERIALIZED VIEW not_populated AS SELECT grp FROM sample WITH NO DATA;

-- Procedures with INOUT and OUT parameters and transaction control.
CREATE PROCEDURE bump(INOUT n integer, step integer DEFAULT 1) LANGUAGE plpgsql AS $$
BEGIN
    n := n + step;
END $$;
CREATE PROCEDURE add_sample(g text, val numeric, OUT added integer) LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sample (grp, v, w) VALUES (g, val, (SELECT max(w) + 1 FROM sample));
    added := 1;
END $$;
-- A function with OUT parameters, defaults and variadic.
CREATE FUNCTION stats(VARIADIC vals numeric[], OUT lo numeric, OUT hi numeric) LANGUAGE sql IMMUTABLE
    AS 'SELECT min(x), max(x) FROM unnest(vals) x';
CREATE FUNCTION by_grp(g text DEFAULT 'g2') RETURNS TABLE (w integer, v numeric) LANGUAGE sql STABLE ROWS 5
    AS 'SELECT w, v FROM sample WHERE grp = g ORDER BY w';

-- Multiple inheritance and an unlogged child.
CREATE TABLE named (name text NOT NULL);
CREATE TABLE dated (at date DEFAULT '2020-01-01');
CREATE TABLE named_dated (extra integer) INHERITS (named, dated);
CREATE UNLOGGED TABLE named_tmp () INHERITS (named);
INSERT INTO named VALUES ('n1');
INSERT INTO named_dated VALUES ('n2', '2021-02-02', 7);
INSERT INTO named_tmp VALUES ('n3');

-- Storage parameters on an index and a table with a TOAST setting, CLUSTER ON.
CREATE TABLE blob_store (id integer PRIMARY KEY WITH (fillfactor = 50), data text)
    WITH (toast.autovacuum_enabled = false, parallel_workers = 2);
ALTER TABLE blob_store CLUSTER ON blob_store_pkey;
INSERT INTO blob_store VALUES (1, repeat('x', 5000));
CREATE INDEX blob_store_brin ON blob_store USING brin (id) WITH (pages_per_range = 16);
CREATE INDEX sample_hash ON sample USING hash (grp);
CREATE INDEX sample_cover ON sample (grp) INCLUDE (v) WHERE v IS NOT NULL;
