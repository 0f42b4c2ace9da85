-- Run against a clone: aggregates, window functions, procedures and the
-- materialized views.
REFRESH MATERIALIZED VIEW CONCURRENTLY grp_summary;
REFRESH MATERIALIZED VIEW not_populated;
CALL add_sample('g2', 16, NULL);
DO $$
DECLARE n integer := 1;
BEGIN
    CALL bump(n, 5);
    IF n <> 6 THEN RAISE EXCEPTION 'bump: %', n; END IF;
    IF (SELECT hi FROM stats(1, 5, 3)) <> 5 THEN RAISE EXCEPTION 'stats'; END IF;
    IF (SELECT count(*) FROM by_grp()) <> 3 THEN RAISE EXCEPTION 'by_grp'; END IF;
    IF (SELECT labels FROM grp_summary WHERE grp = 'g10') <> 'Müller/Zorn' THEN
        RAISE EXCEPTION 'path_of: %', (SELECT labels FROM grp_summary WHERE grp = 'g10');
    END IF;
    IF (SELECT first_label FROM grp_summary WHERE grp = 'g10') <> 'Müller' THEN RAISE EXCEPTION 'nth_label'; END IF;
    IF (SELECT s FROM running WHERE w = 3) <> 6 THEN RAISE EXCEPTION 'msum window'; END IF;
    IF (SELECT count(*) FROM named) <> 3 THEN RAISE EXCEPTION 'inheritance'; END IF;
    IF (SELECT min(grp) FROM sample) <> 'g1' OR (SELECT max(grp) FROM sample) <> 'g10' THEN
        RAISE EXCEPTION 'numeric collation lost';
    END IF;
END $$;
