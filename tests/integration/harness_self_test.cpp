// The harness's own promises: every fixture loads, and the comparison helpers
// really notice a difference (a comparison that cannot fail proves nothing).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <iostream>

#include "embedded/pg_binaries.h"
#include "embedded/subprocess.h"
#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

TEST(Harness, EveryFixtureLoads) {
    for (const char* f : {"servers", "pagila", "demo", "types", "hostile", "tea", "hard"}) {
        if (auto skip = Harness::get().fixture_skip(f); !skip.empty()) {
            std::cerr << "[harness] " << skip << "\n";
            continue;
        }
        EXPECT_EQ(Harness::get().fixture_error(f), "") << f;
    }
}

TEST(Harness, FixturesHoldWhatTheTestsExpect) {
    DBCLONE_REQUIRE_FIXTURE("types");
    DBCLONE_REQUIRE_FIXTURE("hostile");
    auto& src = Harness::get().source();
    EXPECT_EQ(
        src.query_value(kSourceDb, "SELECT octet_length(big_text) >= 50 * 1024 * 1024 FROM types.big_values"),
        "t");
    EXPECT_EQ(src.query_value(kSourceDb, "SELECT count(*) FROM types.all_types"), "4");
    EXPECT_EQ(src.query_value(kSourceDb, "SELECT count(*) FROM \"Hostile \"\"Schema\"\" ü\".\"select\""),
              "200");
    EXPECT_EQ(src.query_value(
                  kSourceDb,
                  "SELECT octet_length(relname) FROM pg_class WHERE relname LIKE 'a_table_name_of_exactly%'"),
              "63");
}

TEST(Harness, ComparisonNoticesChangedRowAndObject) {
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto& h = Harness::get();
    auto db = h.new_target_db("selftest");
    // A faithful copy made by SQL compares equal ...
    h.target().run_sql(db, R"sql(
        CREATE SCHEMA tea_copy;
        CREATE TABLE tea_copy.plain (id integer, v text);
        INSERT INTO tea_copy.plain SELECT g, 'row ' || g FROM generate_series(1, 100) g;
        CREATE TABLE tea_copy.keyed (id integer PRIMARY KEY, v text NOT NULL);
        INSERT INTO tea_copy.keyed SELECT g, 'k' || g FROM generate_series(1, 50) g;
    )sql");
    expect_same_schema(h.source(), kSourceDb, kTea, h.target(), db, "tea_copy");

    // ... one changed value is a difference ...
    h.target().run_sql(db, "UPDATE tea_copy.plain SET v = 'changed' WHERE id = 42");
    EXPECT_NONFATAL_FAILURE(expect_same_schema(h.source(), kSourceDb, kTea, h.target(), db, "tea_copy"),
                            "table contents");
    h.target().run_sql(db, "UPDATE tea_copy.plain SET v = 'row 42' WHERE id = 42");

    // ... and so is a missing index.
    h.target().run_sql(db, "ALTER TABLE tea_copy.keyed DROP CONSTRAINT keyed_pkey");
    EXPECT_NONFATAL_FAILURE(expect_same_schema(h.source(), kSourceDb, kTea, h.target(), db, "tea_copy"),
                            "object inventory");
}

// A reference copy made with pg_dump/psql and a schema rename must compare
// equal: the comparison has no false differences on a faithful copy.
class ReferenceCopy : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(ReferenceCopy, PgDumpCopyComparesEqual) {
    const auto& [fixture, schema] = GetParam();
    DBCLONE_REQUIRE_FIXTURE(fixture);
    auto& h = Harness::get();
    auto dump = run_subprocess({(find_pg_bindir() / "pg_dump").string(), "--no-owner", "-n",
                                pg::quote_ident(schema), "-d", h.source_conninfo()},
                               {.drop_env_prefixes = {"PG"}});
    ASSERT_EQ(dump.exit_code, 0) << dump.err;
    auto db = h.new_target_db(std::string("pgdump_") + fixture);
    // pagila's public schema already exists in every new database. The copy is
    // made by the role that owns the source, so that grants print the same.
    if (std::string(schema) == "public") h.target().run_sql(db, "DROP SCHEMA public");
    // Under the same name: pg_dump does not rewrite function bodies that name
    // their schema, and the harness compares bodies with that name left out.
    Harness::run_sql_as_app(h.target(), db, dump.out);
    expect_same_schema(h.source(), kSourceDb, schema, h.target(), db, schema);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ReferenceCopy,
                         ::testing::Values(std::make_pair("pagila", kPagila), std::make_pair("demo", kDemo),
                                           std::make_pair("types", kTypes),
                                           std::make_pair("hostile", kHostile),
                                           std::make_pair("hard", kHard)),
                         [](const auto& param_info) { return std::string(param_info.param.first); });

}  // namespace
}  // namespace dbclone::test
