// The source side on a managed service, as the managed-service role: a
// table whose row-level security policies apply to the copying role (FORCE
// ROW LEVEL SECURITY on its own table) must not be copied with rows missing,
// and a table the role may not read gets a hint naming the GRANT to run.
// Both stop before the target is touched; a refresh whose target has a
// constraint that differs from the source's stops the same way, naming it.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitUnsupported = 13;

std::string user_schemas(EmbeddedCluster& c, const std::string& db) {
    return c.query_value(
        db,
        "SELECT coalesce(string_agg(nspname, ',' ORDER BY nspname), '') FROM pg_namespace "
        "WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')");
}

TEST(SourceAccess, RowLevelSecurityHidingRowsStopsBeforeTheTargetIsTouched) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA sa_rls; CREATE TABLE sa_rls.doc (id integer PRIMARY KEY, body text);"
        "INSERT INTO sa_rls.doc SELECT g, 'doc ' || g FROM generate_series(1, 40) g;"
        "CREATE TABLE sa_rls.open_table (id integer); INSERT INTO sa_rls.open_table VALUES (1);"
        "ALTER TABLE sa_rls.doc ENABLE ROW LEVEL SECURITY; ALTER TABLE sa_rls.doc FORCE ROW LEVEL "
        "SECURITY; CREATE POLICY first_ten ON sa_rls.doc USING (id <= 10);");
    auto db = h.new_target_db("sa_rls");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_rls"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("doc"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("NO FORCE ROW LEVEL SECURITY"), std::string::npos) << describe(r);
    EXPECT_EQ(r.err.find("open_table"), std::string::npos) << "names only the guarded table: " << describe(r);
    EXPECT_EQ(user_schemas(h.target(), db), "") << "the target was touched";

    // Without FORCE the owner reads every row: the copy is complete.
    h.run_sql_as_app(h.source(), kSourceDb, "ALTER TABLE sa_rls.doc NO FORCE ROW LEVEL SECURITY");
    auto ok = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_rls"});
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM sa_rls.doc"), "40");
    expect_same_schema(h.source(), kSourceDb, "sa_rls", h.target(), db, "sa_rls");
}

TEST(SourceAccess, UnreadableTableGetsAHintNamingTheGrant) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(h.source(), kSourceDb,
                     "CREATE SCHEMA sa_noread; CREATE TABLE sa_noread.mine (id integer)");
    // Another role's table in the role's schema (made by the superuser).
    h.source().run_sql(kSourceDb,
                       "CREATE TABLE sa_noread.theirs (id integer); INSERT INTO sa_noread.theirs VALUES (1)");
    auto db = h.new_target_db("sa_noread");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_noread"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("GRANT SELECT ON \"sa_noread\".\"theirs\" TO \"" + std::string(kAppRole) + "\""),
              std::string::npos)
        << describe(r);
    EXPECT_EQ(user_schemas(h.target(), db), "") << "the target was touched";
}

TEST(SourceAccess, RefreshStopsWhenAConstraintDiffersFromTheSource) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA sa_con; CREATE TABLE sa_con.parent (id integer PRIMARY KEY);"
        "CREATE TABLE sa_con.line (id integer PRIMARY KEY, parent_id integer REFERENCES sa_con.parent, "
        "qty integer CONSTRAINT qty_positive CHECK (qty > 0));"
        "INSERT INTO sa_con.parent SELECT generate_series(1, 10);"
        "INSERT INTO sa_con.line SELECT g, 1 + g % 10, 1 + g % 3 FROM generate_series(1, 100) g;");
    auto db = h.new_target_db("sa_con");
    auto first = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_con"});
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    // Pre-prod tightened the check; its rows changed since.
    h.run_sql_as_app(
        h.target(), db,
        "UPDATE sa_con.line SET qty = 5; ALTER TABLE sa_con.line DROP CONSTRAINT qty_positive, ADD "
        "CONSTRAINT qty_positive CHECK (qty > 2)");
    auto before = table_checksums(h.target(), db, "sa_con");
    auto plan =
        run_dbclone({"plan", "refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_con"});
    EXPECT_EQ(plan.exit_code, kExitUnsupported) << describe(plan);
    auto r = run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_con"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("qty_positive"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("(qty > 0)"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("(qty > 2)"), std::string::npos) << describe(r);
    EXPECT_EQ(table_checksums(h.target(), db, "sa_con"), before)
        << "a refresh that cannot finish changed the target";

    // Put back as the source has it: the refresh runs.
    h.run_sql_as_app(
        h.target(), db,
        "ALTER TABLE sa_con.line DROP CONSTRAINT qty_positive, ADD CONSTRAINT qty_positive CHECK (qty > 0)");
    auto ok = run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_con"});
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    EXPECT_EQ(table_checksums(h.target(), db, "sa_con"), table_checksums(h.source(), kSourceDb, "sa_con"));
}

}  // namespace
}  // namespace dbclone::test
