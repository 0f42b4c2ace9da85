// Column options: what a user sets with ALTER COLUMN ... SET (n_distinct...)
// arrives on the copy; what the server keeps there for itself does not.
// PostgreSQL 15.20 (Debian bookworm-security, what a fresh Debian 12 installs)
// stamps every column with pg_attver=<n>, different on every server: copied,
// it made every table of the README's demo differ from its copy (exit 11).
#include <gtest/gtest.h>

#include <string>

#include "harness.h"

namespace dbclone::test {
namespace {

// The column options of a table, without the server-managed ones (pg_*), as
// "column: options" lines.
std::string user_column_options(EmbeddedCluster& c, const std::string& db, const std::string& table) {
    return c.query_value(
        db,
        "SELECT string_agg(attname || ': ' || coalesce((SELECT string_agg(o, ',' ORDER BY o) "
        "FROM unnest(attoptions) o WHERE o NOT LIKE 'pg\\_%'), '-'), '; ' ORDER BY attnum) "
        "FROM pg_attribute WHERE attrelid = '" +
            table + "'::regclass AND attnum > 0 AND NOT attisdropped");
}

TEST(ColumnOptions, UserOptionsAreCopiedAndServerManagedOnesAreNot) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    auto src_db = h.new_target_db("colopt_src");
    h.run_sql_as_app(
        h.target(), src_db,
        "CREATE SCHEMA colopt; "
        "CREATE TABLE colopt.parent (id int PRIMARY KEY, kind text, note text) PARTITION BY RANGE "
        "(id); "
        "CREATE TABLE colopt.part1 PARTITION OF colopt.parent FOR VALUES FROM (0) TO (1000); "
        "CREATE TABLE colopt.plain (id int, kind text); "
        "ALTER TABLE colopt.plain ALTER COLUMN kind SET (n_distinct = 12); "
        "ALTER TABLE colopt.plain ALTER COLUMN id SET (n_distinct = -1); "
        "ALTER TABLE colopt.parent ALTER COLUMN kind SET (n_distinct_inherited = 5, n_distinct = 3); "
        "INSERT INTO colopt.plain SELECT g, 'k' || (g % 12) FROM generate_series(1, 500) g; "
        "INSERT INTO colopt.parent SELECT g, 'k' || (g % 5), 'n' FROM generate_series(1, 500) g;");
    auto db = h.new_target_db("colopt");
    auto r =
        run_dbclone({"clone", h.target_conninfo(src_db), h.target_conninfo(db), "--schema", "colopt:copy"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(user_column_options(h.target(), db, "copy.plain"), "id: n_distinct=-1; kind: n_distinct=12");
    EXPECT_EQ(user_column_options(h.target(), db, "copy.parent"),
              "id: -; kind: n_distinct=3,n_distinct_inherited=5; note: -");
    expect_same_schema(h.target(), src_db, "colopt", h.target(), db, "copy");
    // dbclone's own verify agrees on a second look (it compares definitions
    // that include the column options).
    auto v =
        run_dbclone({"verify", h.target_conninfo(src_db), h.target_conninfo(db), "--schema", "colopt:copy"});
    EXPECT_EQ(v.exit_code, 0) << describe(v);
}

}  // namespace
}  // namespace dbclone::test
