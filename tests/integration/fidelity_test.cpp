// Fidelity suite (issue 10): every schema under tests/integration/fidelity/
// is cloned three ways -- into another database under a new name, into the
// same database under a new name, through a dump set export/import -- and the
// copy is compared without dbclone: pg_dump --schema-only of both schemas
// with the copy's name mapped back to the source's, the harness's catalog
// inventory, per-table row count and md5. Then the family's exercise script
// (if any) runs every cloned function, view and trigger in the copy; in the
// same database, a pg_dump of the source schema (objects and rows) must be
// identical before and after the clone and the exercise.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "embedded/pg_binaries.h"
#include "embedded/subprocess.h"
#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

std::filesystem::path fidelity_dir() {
    return std::filesystem::path(DBCLONE_SOURCE_DIR) / "tests" / "integration" / "fidelity";
}

// fidelity/<family>.needs.sql: objects outside the family's schema that it
// uses (a sibling schema); loaded into every database the copy goes to.
void load_needs(EmbeddedCluster& cluster, const std::string& db, const std::string& family) {
    const auto file = fidelity_dir() / (family + ".needs.sql");
    if (std::filesystem::exists(file)) Harness::run_sql_as_app(cluster, db, read_file(file));
}

// Families made by a superuser, and cloned as one: PostgreSQL lets no one
// else create operator classes, families or foreign data wrappers.
bool needs_superuser(const std::string& family) {
    return family == "unsupported" || family == "opclasses";
}

// Loads fidelity/<family>.sql into the source database once; "" or why not.
// As the managed-service role users have, except the superuser families.
std::string load_family(const std::string& family) {
    static std::map<std::string, std::string> loaded;
    auto it = loaded.find(family);
    if (it != loaded.end()) return it->second;
    std::string error = Harness::get().fixture_error("servers");
    if (error.empty()) {
        try {
            const auto file = fidelity_dir() / (family + ".sql");
            load_needs(Harness::get().source(), kSourceDb, family);
            if (needs_superuser(family))
                Harness::get().source().run_sql_file(kSourceDb, file);
            else
                Harness::run_sql_as_app(Harness::get().source(), kSourceDb, read_file(file));
        } catch (const std::exception& e) {
            error = "fidelity schema " + family + " not loaded: " + e.what();
        }
    }
    return loaded[family] = error;
}

// pg_dump of one schema; `data`: objects and rows, else objects only.
std::string pg_dump(EmbeddedCluster& cluster, const std::string& db, const std::string& schema, bool data) {
    std::vector<std::string> argv{(find_pg_bindir() / "pg_dump").string(), "-d", cluster.conninfo(db), "-n",
                                  pg::quote_ident(schema)};
    if (!data) argv.push_back("--schema-only");
    // With the objects and rows: the extensions installed in the schema too
    // (-n alone leaves them out), so that the reference copy has them.
    if (data) {
        std::istringstream extensions(cluster.query_value(
            db,
            "SELECT string_agg(e.extname, E'\\n') FROM pg_extension e JOIN pg_namespace n ON n.oid = "
            "e.extnamespace WHERE n.nspname = " +
                pg::quote_literal(schema)));
        for (std::string ext; std::getline(extensions, ext);)
            if (!ext.empty()) argv.insert(argv.end(), {"-e", ext});
    }
    SubprocessOptions opts{.drop_env_prefixes = {"PG"}};
    auto r = run_subprocess(argv, opts);
    if (r.exit_code != 0) throw std::runtime_error("pg_dump failed: " + r.err);
    // Without the \\restrict lines: their key is new on every run.
    static const std::regex restrict_line("(^|\n)\\\\(un)?restrict [^\n]*");
    return std::regex_replace(r.out, restrict_line, "$1");
}

// The dump's statements as lines, without comments, session settings and
// blank lines, with the whole-word `from` schema name replaced by `to`.
std::vector<std::string> normalised_lines(const std::string& dump, const std::string& from,
                                          const std::string& to) {
    std::vector<std::string> out;
    std::istringstream in(dump);
    std::string line;
    const std::regex word("\\b" + from + "\\b");
    while (std::getline(in, line)) {
        if (line.empty() || line.rfind("--", 0) == 0 || line.rfind("SET ", 0) == 0 ||
            line.rfind("SELECT pg_catalog.set_config", 0) == 0 || line.rfind("\\", 0) == 0)
            continue;
        out.push_back(from == to ? line : std::regex_replace(line, word, to));
    }
    std::sort(out.begin(), out.end());
    return out;
}

void expect_same_dump(const std::string& what, const std::vector<std::string>& src,
                      const std::vector<std::string>& dst) {
    std::multiset<std::string> a(src.begin(), src.end());
    std::multiset<std::string> b(dst.begin(), dst.end());
    std::string diff;
    for (const auto& l : a)
        if (a.count(l) != b.count(l)) diff += "\n  - " + l;
    for (const auto& l : b)
        if (a.count(l) != b.count(l)) diff += "\n  + " + l;
    EXPECT_TRUE(diff.empty()) << what << " differs (- source, + copy):" << diff.substr(0, 6000);
}

// The harness's inventory without function body digests: bodies are
// compared in the pg_dump text, where the schema name is normalised (a body
// rewritten to the copy's name has another digest).
std::vector<std::string> inventory_without_bodies(EmbeddedCluster& cluster, const std::string& db,
                                                  const std::string& schema) {
    static const std::regex body_md5("\\|body_md5=[0-9a-f]*");
    auto lines = inventory(cluster, db, schema);
    for (auto& l : lines) l = std::regex_replace(l, body_md5, "");
    return lines;
}

// The reference copy: pg_dump of the source schema restored with psql into a
// new database on the target server (same schema name). PostgreSQL prints
// some definitions differently after a round trip; the reference shows what
// an exact copy prints.
std::string reference_db(const std::string& family) {
    static std::map<std::string, std::string> made;
    auto it = made.find(family);
    if (it != made.end()) return it->second;
    auto& h = Harness::get();
    auto db = h.new_target_db("ref_" + family);
    load_needs(h.target(), db, family);
    h.target().run_sql(db, pg_dump(h.source(), kSourceDb, "fid_" + family, true));
    return made[family] = db;
}

void run_exercise(EmbeddedCluster& cluster, const std::string& db, const std::string& family,
                  const std::string& schema) {
    auto file = fidelity_dir() / (family + ".exercise.sql");
    if (!std::filesystem::exists(file)) return;
    EXPECT_NO_THROW(cluster.run_sql(
        db, "SET search_path = " + pg::quote_ident(schema) + ", pg_catalog;\n" + read_file(file)))
        << "exercising the copy " << schema << " with " << file.filename();
}

enum class Mode { other_db, same_db, dump_set };

struct Case {
    std::string family;
    Mode mode;
};

std::string mode_name(Mode m) {
    return m == Mode::other_db ? "OtherDb" : m == Mode::same_db ? "SameDb" : "DumpSet";
}

class Fidelity : public ::testing::TestWithParam<Case> {};

TEST_P(Fidelity, CopyEqualsSourceAndLeavesItAlone) {
    const auto& [family, mode] = GetParam();
    auto error = load_family(family);
    if (!error.empty()) FAIL() << error;
    auto& h = Harness::get();
    const std::string src = "fid_" + family;
    const std::string dst = src + "_" +
                            (mode == Mode::other_db  ? "db"
                             : mode == Mode::same_db ? "same"
                                                     : "imp");
    EmbeddedCluster& dst_cluster = mode == Mode::same_db ? h.source() : h.target();
    const std::string dst_db = mode == Mode::same_db ? std::string(kSourceDb) : h.new_target_db(dst);
    if (mode != Mode::same_db) load_needs(dst_cluster, dst_db, family);
    const auto source_before = pg_dump(h.source(), kSourceDb, src, true);

    const bool superuser = needs_superuser(family);
    const auto source = superuser ? h.source_superuser_conninfo() : h.source_conninfo();
    const auto target =
        superuser ? dst_cluster.conninfo(dst_db) : Harness::as_app_role(dst_cluster.conninfo(dst_db));
    DbcloneResult r;
    if (mode == Mode::dump_set) {
        auto store = h.new_dir("fidelity-" + family);
        auto ex = run_dbclone({"export", source, "--schema", src, "--store", file_url(store)});
        ASSERT_EQ(ex.exit_code, 0) << describe(ex);
        r = run_dbclone({"import", target, "--store", file_url(store), "--remap-schema", src + ":" + dst});
    } else {
        r = run_dbclone({"clone", source, target, "--schema", src + ":" + dst});
    }
    ASSERT_EQ(r.exit_code, 0) << describe(r);

    const auto ref = reference_db(family);
    expect_same_dump("pg_dump --schema-only (reference: pg_dump | psql of the source)",
                     normalised_lines(pg_dump(h.target(), ref, src, false), src, src),
                     normalised_lines(pg_dump(dst_cluster, dst_db, dst, false), dst, src));
    EXPECT_EQ(inventory_without_bodies(dst_cluster, dst_db, dst),
              inventory_without_bodies(h.target(), ref, src))
        << "catalog inventory of the copy differs from the reference";
    EXPECT_EQ(table_checksums(dst_cluster, dst_db, dst), table_checksums(h.source(), kSourceDb, src));
    EXPECT_EQ(sequence_values(dst_cluster, dst_db, dst), sequence_values(h.source(), kSourceDb, src));
    run_exercise(dst_cluster, dst_db, family, dst);
    EXPECT_EQ(pg_dump(h.source(), kSourceDb, src, true), source_before)
        << "the source schema changed during the clone or while its copy was exercised";
}

// Kinds dbclone does not recreate stop the run before the target is touched,
// each object named; in every mode.
TEST(FidelityRefusal, UnsupportedKindsStopTheRunNamingEachObject) {
    auto error = load_family("unsupported");
    if (!error.empty()) FAIL() << error;
    auto& h = Harness::get();
    auto db = h.new_target_db("fid_unsupported");
    auto store = h.new_dir("fidelity-unsupported");
    // As superuser: these kinds exist only where a superuser made them.
    const auto source = h.source_superuser_conninfo();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"clone", source, h.target().conninfo(db), "--schema", "fid_unsupported:fid_uns_db"},
             {"clone", source, source, "--schema", "fid_unsupported:fid_uns_same"},
             {"export", source, "--schema", "fid_unsupported", "--store", file_url(store)}}) {
        auto r = run_dbclone(args);
        EXPECT_EQ(r.exit_code, 13) << describe(r);
        for (const char* named : {"FOREIGN TABLE remote_note"})
            EXPECT_NE(r.err.find(named), std::string::npos) << named << " not named" << describe(r);
    }
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'fid_uns%' "
                                     "OR nspname LIKE 'dbclone_incomplete%'"),
              "0");
    EXPECT_EQ(
        h.source().query_value(kSourceDb, "SELECT count(*) FROM pg_namespace WHERE nspname = 'fid_uns_same'"),
        "0");
    EXPECT_TRUE(find_files(store, "manifest").empty()) << "no dump set is written";
}

// Operator classes and families are copied only by a superuser: as the
// managed-service role the run stops before the target is touched, naming
// each one (PostgreSQL would refuse them half-way through the load).
TEST(FidelityRefusal, OperatorClassesNeedASuperuserOnTheTarget) {
    auto error = load_family("opclasses");
    if (!error.empty()) FAIL() << error;
    auto& h = Harness::get();
    auto db = h.new_target_db("fid_opclasses_app");
    auto store = h.new_dir("fidelity-opclasses-app");
    auto ex = run_dbclone(
        {"export", h.source_superuser_conninfo(), "--schema", "fid_opclasses", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"clone", h.source_superuser_conninfo(), h.target_conninfo(db),
                                                "--schema", "fid_opclasses:fid_opc_db"},
                                               {"import", h.target_conninfo(db), "--store", file_url(store),
                                                "--remap-schema", "fid_opclasses:fid_opc_imp"}}) {
        auto r = run_dbclone(args);
        EXPECT_EQ(r.exit_code, 13) << describe(r);
        for (const char* named : {"OPERATOR CLASS abs_int_ops USING btree",
                                  "OPERATOR FAMILY abs_hash_family USING hash", "superuser"})
            EXPECT_NE(r.err.find(named), std::string::npos) << named << " not named" << describe(r);
    }
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'fid_opc%' "
                                     "OR nspname LIKE 'dbclone_incomplete%'"),
              "0");
}

// An extension exists once per database: a schema holding one cannot be
// cloned into its own database; the run says so before touching anything.
TEST(FidelityRefusal, ExtensionInTheSchemaCannotBeClonedIntoItsOwnDatabase) {
    auto error = load_family("extensions");
    if (!error.empty()) FAIL() << error;
    auto& h = Harness::get();
    auto r = run_dbclone(
        {"clone", h.source_conninfo(), h.source_conninfo(), "--schema", "fid_extensions:fid_ext_same"});
    EXPECT_EQ(r.exit_code, 13) << describe(r);
    for (const char* named : {"extension citext is already installed in schema fid_extensions",
                              "extension pg_trgm is already installed in schema fid_extensions"})
        EXPECT_NE(r.err.find(named), std::string::npos) << named << " not named" << describe(r);
    EXPECT_EQ(h.source().query_value(kSourceDb,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname = 'fid_ext_same' "
                                     "OR nspname LIKE 'dbclone_incomplete%'"),
              "0");
}

// Object-identifier columns (regclass, regtype, ...) whose rows name the
// schema's own objects: COPY gives those as names in the source schema,
// which the load (into a staging schema, maybe under another name) cannot
// resolve to the copy - the same database would silently point at the
// source's objects. The run stops before the target is touched, naming each
// column; values naming objects elsewhere do not stop it.
TEST(FidelityRefusal, RegColumnsNamingTheSchemaStopTheRun) {
    auto& h = Harness::get();
    auto error = h.fixture_error("servers");
    if (!error.empty()) FAIL() << error;
    Harness::run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA fid_regrefs;\n"
        "CREATE TABLE fid_regrefs.item (id integer PRIMARY KEY);\n"
        "CREATE FUNCTION fid_regrefs.touch() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n"
        "CREATE TABLE fid_regrefs.registry (rel regclass, typ regtype, fn regproc[]);\n"
        "INSERT INTO fid_regrefs.registry VALUES ('fid_regrefs.item', 'integer', NULL),\n"
        "  ('pg_class', 'fid_regrefs.item', ARRAY['fid_regrefs.touch'::regproc]);\n"
        "CREATE TABLE fid_regrefs.elsewhere (rel regclass);\n"
        "INSERT INTO fid_regrefs.elsewhere VALUES ('pg_class');\n"
        "CREATE SCHEMA fid_regrefs_ok;\n"
        "CREATE TABLE fid_regrefs_ok.elsewhere (rel regclass, typ regtype);\n"
        "INSERT INTO fid_regrefs_ok.elsewhere VALUES ('pg_class', 'integer');\n");
    auto db = h.new_target_db("fid_regrefs");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regrefs:fid_rr"},
             {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regrefs"},
             {"clone", h.source_conninfo(), h.source_conninfo(), "--schema", "fid_regrefs:fid_rr_same"}}) {
        auto r = run_dbclone(args);
        EXPECT_EQ(r.exit_code, 13) << describe(r);
        for (const char* named : {"registry.rel (regclass, 1 value(s))", "registry.typ (regtype, 1 value(s))",
                                  "registry.fn (regproc[], 1 value(s))"})
            EXPECT_NE(r.err.find(named), std::string::npos) << named << " not named" << describe(r);
        EXPECT_EQ(r.err.find("elsewhere"), std::string::npos) << "values naming pg_catalog copy as they are";
    }
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'fid_r%' "
                                     "OR nspname LIKE 'dbclone_incomplete%'"),
              "0");
    EXPECT_EQ(
        h.source().query_value(kSourceDb, "SELECT count(*) FROM pg_namespace WHERE nspname = 'fid_rr_same'"),
        "0");

    auto ok = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema",
                           "fid_regrefs_ok:fid_regrefs_ok_copy"});
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    EXPECT_EQ(
        h.target().query_value(db, "SELECT rel::text || ' ' || typ::text FROM fid_regrefs_ok_copy.elsewhere"),
        "pg_class integer");
}

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (Mode m : {Mode::other_db, Mode::dump_set}) cases.push_back({"extensions", m});
    for (const char* family : {"tables", "types", "views", "functions", "text_search", "statistics",
                               "operators", "billing", "music", "auth", "regress", "erp", "opclasses"})
        for (Mode m : {Mode::other_db, Mode::same_db, Mode::dump_set}) cases.push_back({family, m});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Schemas, Fidelity, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                             return param_info.param.family + "_" + mode_name(param_info.param.mode);
                         });

}  // namespace
}  // namespace dbclone::test
