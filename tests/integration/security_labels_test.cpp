// Security labels copied with the schema (issue 10), with a real label
// provider: the suite's own server module (fixtures/label_provider, built
// with PGXS against the installed server headers) registers provider
// "dbclone_test". It is loaded per database (session_preload_libraries,
// by absolute path, set by the servers' superuser), so the shared test
// servers need no restart and other databases are left as they were. Every
// run is the managed-service role's; labels are compared without dbclone,
// from pg_seclabel on both sides.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitVerifyMismatch = 11;
constexpr int kExitUnsupported = 13;

// Why the label tests cannot run here ("" when they can).
std::string label_module_missing() {
    const std::string module = DBCLONE_LABEL_MODULE;
    if (module.empty())
        return "the test security label provider was not built (PostgreSQL server headers missing: "
               "install postgresql-server-dev-15, scripts/install-deps.sh --test, and configure again)";
    if (!std::filesystem::exists(module)) return "the test security label provider is missing: " + module;
    return "";
}

// Sessions of `db` load the provider from now on.
void load_provider(EmbeddedCluster& c, const std::string& db) {
    c.run_sql("postgres", "ALTER DATABASE " + pg::quote_ident(db) +
                              " SET session_preload_libraries = " + pg::quote_literal(DBCLONE_LABEL_MODULE));
}

// Every security label of the schema and its objects, one line each, with
// the schema's name left out of the object names (the copy has another).
std::string labels(EmbeddedCluster& c, const std::string& db, const std::string& schema) {
    const auto lit = pg::quote_literal(schema);
    return c.query_value(
        db,
        "SELECT coalesce(string_agg(x, E'\\n' ORDER BY x), '') FROM ("
        "SELECT s.provider || ' ' || i.type || ' ' || CASE WHEN s.classoid = 'pg_namespace'::regclass "
        "THEN '-' ELSE replace(i.identity, quote_ident(" +
            lit +
            ") || '.', '') END || ' = ' || s.label AS x "
            "FROM pg_seclabel s CROSS JOIN LATERAL pg_identify_object(s.classoid, s.objoid, s.objsubid) i "
            "WHERE i.schema = " +
            lit +
            " OR (s.classoid = 'pg_namespace'::regclass AND s.objoid = (SELECT oid FROM "
            "pg_namespace WHERE nspname = " +
            lit + "))) q");
}

std::string user_schemas(EmbeddedCluster& c, const std::string& db) {
    return c.query_value(
        db,
        "SELECT coalesce(string_agg(nspname, ',' ORDER BY nspname), '') FROM pg_namespace "
        "WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')");
}

// A source database whose sessions load the provider, with schema `lbl`:
// a label on the schema and on every kind of object SECURITY LABEL takes
// inside one, set by the role that owns them.
std::string labelled_source() {
    auto& h = Harness::get();
    static const std::string db = [&] {
        Harness::create_app_database(h.source(), "lbl_src");
        load_provider(h.source(), "lbl_src");
        Harness::run_sql_as_app(
            h.source(), "lbl_src",
            "CREATE SCHEMA lbl; CREATE TYPE lbl.mood AS ENUM ('ok', 'meh');"
            "CREATE DOMAIN lbl.pos AS integer CHECK (VALUE > 0);"
            "CREATE TABLE lbl.doc (id integer PRIMARY KEY, body text, m lbl.mood, p lbl.pos);"
            "INSERT INTO lbl.doc SELECT g, 'doc ' || g, 'ok', g FROM generate_series(1, 25) g;"
            "CREATE VIEW lbl.doc_v AS SELECT id, body FROM lbl.doc;"
            "CREATE MATERIALIZED VIEW lbl.doc_m AS SELECT id FROM lbl.doc;"
            "CREATE SEQUENCE lbl.ticket;"
            "CREATE FUNCTION lbl.twice(x lbl.pos) RETURNS integer LANGUAGE sql AS 'SELECT x * 2';"
            "CREATE PROCEDURE lbl.touch() LANGUAGE sql AS 'SELECT 1';"
            "CREATE AGGREGATE lbl.total(integer) (sfunc = int4pl, stype = integer);"
            "SECURITY LABEL FOR dbclone_test ON SCHEMA lbl IS 'schema:confidential';"
            "SECURITY LABEL FOR dbclone_test ON TABLE lbl.doc IS 'table:secret';"
            "SECURITY LABEL FOR dbclone_test ON COLUMN lbl.doc.body IS 'column:it''s top secret';"
            "SECURITY LABEL FOR dbclone_test ON VIEW lbl.doc_v IS 'view:internal';"
            "SECURITY LABEL FOR dbclone_test ON MATERIALIZED VIEW lbl.doc_m IS 'matview:internal';"
            "SECURITY LABEL FOR dbclone_test ON COLUMN lbl.doc_v.id IS 'view column:public';"
            "SECURITY LABEL FOR dbclone_test ON SEQUENCE lbl.ticket IS 'sequence:internal';"
            "SECURITY LABEL FOR dbclone_test ON FUNCTION lbl.twice(lbl.pos) IS 'function:trusted';"
            "SECURITY LABEL FOR dbclone_test ON PROCEDURE lbl.touch() IS 'procedure:trusted';"
            "SECURITY LABEL FOR dbclone_test ON AGGREGATE lbl.total(integer) IS 'aggregate:trusted';"
            "SECURITY LABEL FOR dbclone_test ON TYPE lbl.mood IS 'type:public';"
            "SECURITY LABEL FOR dbclone_test ON DOMAIN lbl.pos IS 'domain:public';");
        return std::string("lbl_src");
    }();
    return db;
}

std::string source_conninfo() {
    return Harness::as_app_role(Harness::get().source().conninfo(labelled_source()));
}

class SecurityLabels : public ::testing::Test {
protected:
    void SetUp() override {
        if (auto why = label_module_missing(); !why.empty()) GTEST_SKIP() << why;
        ASSERT_EQ(Harness::get().fixture_error("servers"), "");
        source_labels_ = labels(Harness::get().source(), labelled_source(), "lbl");
        ASSERT_NE(source_labels_.find("dbclone_test schema - = schema:confidential"), std::string::npos)
            << source_labels_;
        ASSERT_NE(source_labels_.find("table column doc.body = column:it's top secret"), std::string::npos)
            << source_labels_;
    }
    std::string source_labels_;
};

// Cloned under another name into another database whose sessions load the
// provider, and through a dump set: every label as on the source, on the
// copy's objects; `dbclone verify` agrees, and sees a label changed.
TEST_F(SecurityLabels, AreCopiedToATargetWithTheProvider) {
    auto& h = Harness::get();
    auto db = h.new_target_db("lbl");
    load_provider(h.target(), db);
    auto r = run_dbclone({"clone", source_conninfo(), h.target_conninfo(db), "--schema", "lbl:lbl_copy"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.err.find("security label not copied"), std::string::npos) << describe(r);
    EXPECT_EQ(labels(h.target(), db, "lbl_copy"), source_labels_);
    EXPECT_EQ(table_checksums(h.target(), db, "lbl_copy"),
              table_checksums(h.source(), labelled_source(), "lbl"));

    auto store = h.new_dir("lbl-store");
    auto ex = run_dbclone({"export", source_conninfo(), "--schema", "lbl", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    auto im = run_dbclone(
        {"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema", "lbl:lbl_imp"});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    EXPECT_EQ(labels(h.target(), db, "lbl_imp"), source_labels_);

    const std::vector<std::string> verify{"verify", source_conninfo(), h.target_conninfo(db), "--schema",
                                          "lbl:lbl_copy"};
    auto same = run_dbclone(verify);
    EXPECT_EQ(same.exit_code, 0) << describe(same);
    Harness::run_sql_as_app(h.target(), db,
                            "SECURITY LABEL FOR dbclone_test ON COLUMN lbl_copy.doc.body IS 'column:public';"
                            "SECURITY LABEL FOR dbclone_test ON SCHEMA lbl_copy IS NULL");
    auto changed = run_dbclone(verify);
    EXPECT_EQ(changed.exit_code, kExitVerifyMismatch) << describe(changed);
    EXPECT_NE(changed.out.find("doc.body"), std::string::npos) << describe(changed);
    EXPECT_NE(changed.out.find("ON SCHEMA"), std::string::npos) << describe(changed);
}

// A target whose server has not loaded the provider: the clone stops before
// anything is created, naming the provider and the way on; with
// --no-security-labels it copies the rest and names every label it left.
TEST_F(SecurityLabels, ATargetWithoutTheProviderStopsUnlessTheUserOptsOut) {
    auto& h = Harness::get();
    auto db = h.new_target_db("lbl_none");
    auto r = run_dbclone({"clone", source_conninfo(), h.target_conninfo(db), "--schema", "lbl"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("\"dbclone_test\""), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("--no-security-labels"), std::string::npos) << describe(r);
    EXPECT_EQ(user_schemas(h.target(), db), "") << "the target was touched";

    auto opted = run_dbclone(
        {"clone", source_conninfo(), h.target_conninfo(db), "--schema", "lbl", "--no-security-labels"});
    ASSERT_EQ(opted.exit_code, 0) << describe(opted);
    EXPECT_EQ(labels(h.target(), db, "lbl"), "");
    for (const auto* named :
         {"SECURITY LABEL FOR \"dbclone_test\" ON SCHEMA \"lbl\" IS 'schema:confidential'",
          "SECURITY LABEL FOR \"dbclone_test\" ON COLUMN doc.body IS 'column:it''s top secret'",
          "SECURITY LABEL FOR \"dbclone_test\" ON FUNCTION twice(x pos) IS 'function:trusted'"})
        EXPECT_NE(opted.err.find(std::string("warning: security label not copied (--no-security-labels): ") +
                                 named),
                  std::string::npos)
            << named << "\n"
            << describe(opted);
    EXPECT_EQ(table_checksums(h.target(), db, "lbl"), table_checksums(h.source(), labelled_source(), "lbl"));
    // verify expects what the copy was asked for.
    auto v = run_dbclone(
        {"verify", source_conninfo(), h.target_conninfo(db), "--schema", "lbl", "--no-security-labels"});
    EXPECT_EQ(v.exit_code, 0) << describe(v);
    auto strict = run_dbclone({"verify", source_conninfo(), h.target_conninfo(db), "--schema", "lbl"});
    EXPECT_EQ(strict.exit_code, kExitVerifyMismatch) << describe(strict);
}

}  // namespace
}  // namespace dbclone::test
