-- Statistics settings: per-index-column statistics target and extended
-- statistics objects.
CREATE SCHEMA fid_statistics;
SET search_path = fid_statistics;

CREATE TABLE place (id integer PRIMARY KEY, city text, zip text, lat numeric, lon numeric);
INSERT INTO place SELECT g, 'city' || (g % 10), 'z' || (g % 10), g / 10.0, g / 7.0 FROM generate_series(1, 50) g;
CREATE INDEX place_lower_city ON place (lower(city), (lat + lon));
ALTER INDEX place_lower_city ALTER COLUMN 1 SET STATISTICS 300;
ALTER INDEX place_lower_city ALTER COLUMN 2 SET STATISTICS 50;
CREATE STATISTICS place_city_zip (dependencies, ndistinct) ON city, zip FROM place;
CREATE STATISTICS place_expr ON lower(city), (lat + lon) FROM place;
ALTER STATISTICS place_city_zip SET STATISTICS 200;
COMMENT ON STATISTICS place_city_zip IS 'zip follows city';
