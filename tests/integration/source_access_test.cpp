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

// pg_dump's --enable-row-security: the user accepts a copy of the rows the
// policies show the role. The run says which tables may be incomplete, the
// copy holds exactly the visible rows, and a verify with the same option
// compares like with like on both sides.
TEST(SourceAccess, EnableRowSecurityCopiesTheVisibleRowsAndSaysSo) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA sa_vis; CREATE TABLE sa_vis.doc (id integer PRIMARY KEY, body text);"
        "INSERT INTO sa_vis.doc SELECT g, 'doc ' || g FROM generate_series(1, 40) g;"
        "CREATE TABLE sa_vis.open_table (id integer); INSERT INTO sa_vis.open_table VALUES (1), (2);"
        "ALTER TABLE sa_vis.doc ENABLE ROW LEVEL SECURITY; ALTER TABLE sa_vis.doc FORCE ROW LEVEL "
        "SECURITY; CREATE POLICY first_ten ON sa_vis.doc USING (id <= 10);");
    auto db = h.new_target_db("sa_vis");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_vis:vis_copy",
                          "--enable-row-security"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const auto at = r.err.find("warning: --enable-row-security");
    ASSERT_NE(at, std::string::npos) << describe(r);
    const auto warning = r.err.substr(at, r.err.find('\n', at) - at);
    EXPECT_NE(warning.find("\"doc\""), std::string::npos) << "the warning names the table: " << warning;
    EXPECT_EQ(warning.find("open_table"), std::string::npos) << "names only the guarded table: " << warning;
    // Exactly the visible rows, read independently of dbclone by the
    // target's superuser (policies do not apply to it); the copy keeps
    // RLS, FORCE and the policy.
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) || ':' || max(id) FROM vis_copy.doc"), "10:10");
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM vis_copy.open_table"), "2");
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid "
                                     "= 'vis_copy.doc'::regclass"),
              "t");

    // verify reads both sides as their policies allow: equal.
    auto same = run_dbclone({"verify", h.source_conninfo(), h.target_conninfo(db), "--schema",
                             "sa_vis:vis_copy", "--enable-row-security"});
    EXPECT_EQ(same.exit_code, 0) << describe(same);
    // Without the option it refuses rather than compare hidden rows.
    auto refused =
        run_dbclone({"verify", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_vis:vis_copy"});
    EXPECT_EQ(refused.exit_code, kExitUnsupported) << describe(refused);
    EXPECT_NE(refused.err.find("--enable-row-security"), std::string::npos) << describe(refused);

    // Through a dump set: the import, which reads no source, says so too
    // (the manifest records the tables read under policies).
    const auto store = file_url(h.new_dir("sa-vis-store"));
    auto exported = run_dbclone(
        {"export", h.source_conninfo(), "--schema", "sa_vis", "--store", store, "--enable-row-security"});
    ASSERT_EQ(exported.exit_code, 0) << describe(exported);
    auto imported =
        run_dbclone({"import", h.target_conninfo(db), "--store", store, "--remap-schema", "sa_vis:vis_dump"});
    ASSERT_EQ(imported.exit_code, 0) << describe(imported);
    const auto said = imported.err.find("exported with --enable-row-security");
    ASSERT_NE(said, std::string::npos) << describe(imported);
    EXPECT_NE(imported.err.substr(said, imported.err.find('\n', said) - said).find("\"doc\""),
              std::string::npos)
        << describe(imported);
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM vis_dump.doc"), "10");
}

// The target side as the managed-service role: pre-prod's copy of a table
// has FORCE ROW LEVEL SECURITY and the role owns it, so its policies apply
// to the role and COPY into it fails (row_security = off). A refresh, its
// plan and a verify say so before anything is touched, naming the table
// and the ALTER TABLE that lets the owner through; the rows stay as they were.
TEST(SourceAccess, ForcedRowSecurityOnTheTargetStopsBeforeTheLoad) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA sa_trls; CREATE TABLE sa_trls.doc (id integer PRIMARY KEY, owner_name text);"
        "INSERT INTO sa_trls.doc SELECT g, 'user ' || g % 3 FROM generate_series(1, 30) g;"
        "CREATE TABLE sa_trls.plain (id integer); INSERT INTO sa_trls.plain VALUES (1);");
    auto db = h.new_target_db("sa_trls");
    auto first = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_trls"});
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    h.run_sql_as_app(h.target(), db,
                     "DELETE FROM sa_trls.doc WHERE id > 20;"
                     "ALTER TABLE sa_trls.doc ENABLE ROW LEVEL SECURITY; ALTER TABLE sa_trls.doc FORCE ROW "
                     "LEVEL SECURITY; CREATE POLICY mine ON sa_trls.doc USING (owner_name = current_user);");
    const auto before = h.target().query_value(
        db, "SELECT count(*) || ' ' || md5(string_agg(d::text, ',' ORDER BY id)) FROM sa_trls.doc d");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"plan", "refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_trls"},
             {"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_trls"},
             {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_trls",
              "--table-exists-action", "truncate"},
             {"verify", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_trls"}}) {
        auto r = run_dbclone(args);
        EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
        EXPECT_NE(r.err.find("row-level security"), std::string::npos) << describe(r);
        EXPECT_NE(r.err.find("\"doc\""), std::string::npos) << "names the table: " << describe(r);
        EXPECT_EQ(r.err.find("plain"), std::string::npos) << "names only that table: " << describe(r);
        EXPECT_NE(r.err.find("ALTER TABLE \"sa_trls\".\"doc\" NO FORCE ROW LEVEL SECURITY"),
                  std::string::npos)
            << "the hint says what lets the owner through: " << describe(r);
    }
    EXPECT_EQ(
        h.target().query_value(
            db, "SELECT count(*) || ' ' || md5(string_agg(d::text, ',' ORDER BY id)) FROM sa_trls.doc d"),
        before)
        << "the target's rows changed";
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT obj_description('sa_trls'::regnamespace, 'pg_namespace') IS "
                                     "NULL OR obj_description('sa_trls'::regnamespace, 'pg_namespace') NOT "
                                     "LIKE '%in progress%'"),
              "t")
        << "the schema was marked as being loaded";

    // As the hint says: without FORCE the owner loads every row.
    h.run_sql_as_app(h.target(), db, "ALTER TABLE sa_trls.doc NO FORCE ROW LEVEL SECURITY");
    auto ok = run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "sa_trls"});
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM sa_trls.doc"), "30");
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

// An import into an existing schema (--table-exists-action truncate) has no
// source server: the dump set's constraints are compared with the target's
// as the target server prints both, before anything is touched. A schema
// with partitions, identity and a CHECK calling the schema's own function
// loads when nothing differs (no false finding); a tightened CHECK and a
// dropped foreign key stop it, named.
TEST(SourceAccess, ImportIntoExistingTablesStopsWhenAConstraintDiffersFromTheDumpSet) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA sa_icon; CREATE FUNCTION sa_icon.positive(integer) RETURNS boolean LANGUAGE sql "
        "IMMUTABLE AS 'SELECT $1 > 0';"
        "CREATE TABLE sa_icon.parent (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text UNIQUE);"
        "CREATE TABLE sa_icon.line (id integer PRIMARY KEY, parent_id integer REFERENCES sa_icon.parent, "
        "qty integer CONSTRAINT qty_positive CHECK (qty > 0), price numeric CHECK "
        "(sa_icon.positive(price::int)));"
        "CREATE TABLE sa_icon.event (at date NOT NULL, id integer, PRIMARY KEY (at, id)) PARTITION BY RANGE "
        "(at);"
        "CREATE TABLE sa_icon.event_2026 PARTITION OF sa_icon.event FOR VALUES FROM ('2026-01-01') TO "
        "('2027-01-01');"
        "INSERT INTO sa_icon.parent (code) SELECT 'p' || g FROM generate_series(1, 10) g;"
        "INSERT INTO sa_icon.line SELECT g, 1 + g % 10, 1 + g % 3, 5 FROM generate_series(1, 100) g;"
        "INSERT INTO sa_icon.event SELECT date '2026-03-01' + g, g FROM generate_series(1, 20) g;");
    auto store = h.new_dir("sa-icon");
    auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", "sa_icon", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    auto db = h.new_target_db("sa_icon");
    const std::vector<std::string> import{"import",        h.target_conninfo(db), "--store",
                                          file_url(store), "--remap-schema",      "sa_icon:sa_icon_pre"};
    auto first = run_dbclone(import);
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    auto into_existing = import;
    into_existing.insert(into_existing.end(), {"--table-exists-action", "truncate"});
    auto same = run_dbclone(into_existing);
    ASSERT_EQ(same.exit_code, 0) << "nothing differs: " << describe(same);

    // Pre-prod tightened a check and dropped a key; its rows changed since.
    h.run_sql_as_app(h.target(), db,
                     "UPDATE sa_icon_pre.line SET qty = 5; ALTER TABLE sa_icon_pre.line DROP CONSTRAINT "
                     "qty_positive, ADD CONSTRAINT qty_positive CHECK (qty > 2), DROP CONSTRAINT "
                     "line_parent_id_fkey");
    auto before = table_checksums(h.target(), db, "sa_icon_pre");
    auto plan = into_existing;
    plan.insert(plan.begin(), "plan");
    for (const auto& args : {plan, into_existing}) {
        auto r = run_dbclone(args);
        EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
        for (const char* named :
             {"qty_positive", "(qty > 0)", "(qty > 2)", "line_parent_id_fkey", "in the dump set"})
            EXPECT_NE(r.err.find(named), std::string::npos) << named << " not named: " << describe(r);
        EXPECT_EQ(r.err.find("event"), std::string::npos)
            << "the partitions' keys do not differ: " << describe(r);
    }
    EXPECT_EQ(table_checksums(h.target(), db, "sa_icon_pre"), before)
        << "an import that cannot finish changed the target";
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname LIKE "
                                     "'dbclone\\_constraints\\_%'"),
              "0")
        << "the comparison left its scratch schema behind";

    h.run_sql_as_app(h.target(), db,
                     "ALTER TABLE sa_icon_pre.line DROP CONSTRAINT qty_positive, ADD CONSTRAINT qty_positive "
                     "CHECK (qty > 0), ADD CONSTRAINT line_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES "
                     "sa_icon_pre.parent");
    auto ok = run_dbclone(into_existing);
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    EXPECT_EQ(table_checksums(h.target(), db, "sa_icon_pre"),
              table_checksums(h.source(), kSourceDb, "sa_icon"));
}

}  // namespace
}  // namespace dbclone::test

namespace dbclone::test {
namespace {

// A clone whose copy has FORCE ROW LEVEL SECURITY on a table the role owns
// (the source read by a role that bypasses the policies, the target loaded
// as the managed-service role), killed after post-data set FORCE and before
// its verify, then resumed: the resumed verify reads that table's rows on
// the target although the policies apply to the role (every session runs
// with row_security = off, so the server would refuse the read). It must
// finish, with every row, and FORCE and the policy kept as on the source.
TEST(SourceAccess, ResumedCloneVerifiesATableWithForcedRowSecurity) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA sa_force; CREATE TABLE sa_force.doc (id integer PRIMARY KEY, owner_name text);"
        "INSERT INTO sa_force.doc SELECT g, 'user ' || g % 3 FROM generate_series(1, 60) g;"
        "CREATE TABLE sa_force.plain (id integer); INSERT INTO sa_force.plain VALUES (1), (2);"
        "ALTER TABLE sa_force.doc ENABLE ROW LEVEL SECURITY; ALTER TABLE sa_force.doc FORCE ROW LEVEL "
        "SECURITY; CREATE POLICY mine ON sa_force.doc USING (owner_name = current_user);");
    auto db = h.new_target_db("sa_force");
    // The source as its superuser (policies do not apply to it).
    const std::vector<std::string> args{"clone", h.source_superuser_conninfo(), h.target_conninfo(db),
                                        "--schema", "sa_force"};
    auto killed = run_dbclone(args, {{"DBCLONE_FAULT", "verify:before"}});
    ASSERT_EQ(killed.exit_code, 128 + 9) << describe(killed);
    auto resumed_args = args;
    resumed_args.insert(resumed_args.begin(), "--resume");
    auto resumed = run_dbclone(resumed_args);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    // Compared as the superuser, which the policies do not hide rows from.
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM sa_force.doc"), "60");
    EXPECT_EQ(h.target().query_value(
                  db,
                  "SELECT relrowsecurity::text || relforcerowsecurity::text FROM pg_class WHERE oid = "
                  "'sa_force.doc'::regclass"),
              "truetrue");
    expect_same_schema(h.source(), kSourceDb, "sa_force", h.target(), db, "sa_force");
}

}  // namespace
}  // namespace dbclone::test
