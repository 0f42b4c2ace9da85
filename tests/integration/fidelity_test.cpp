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
// else create operator classes, families, text search parsers and templates
// or foreign data wrappers.
bool needs_superuser(const std::string& family) {
    return family == "unsupported" || family == "opclasses" || family == "ts_parsers";
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

// Text search parsers and templates likewise: as the managed-service role
// the run stops before the target is touched, naming each one.
TEST(FidelityRefusal, TextSearchParsersAndTemplatesNeedASuperuserOnTheTarget) {
    auto error = load_family("ts_parsers");
    if (!error.empty()) FAIL() << error;
    auto& h = Harness::get();
    auto db = h.new_target_db("fid_ts_parsers_app");
    auto r = run_dbclone({"clone", h.source_superuser_conninfo(), h.target_conninfo(db), "--schema",
                          "fid_ts_parsers:fid_tsp_db"});
    EXPECT_EQ(r.exit_code, 13) << describe(r);
    for (const char* named : {"TEXT SEARCH PARSER words", "TEXT SEARCH TEMPLATE plain_words",
                              "TEXT SEARCH TEMPLATE lexize_only", "superuser"})
        EXPECT_NE(r.err.find(named), std::string::npos) << named << " not named" << describe(r);
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'fid_tsp%' "
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

// Object-identifier values (regclass, regtype, regproc, regprocedure, and
// arrays of them) naming the schema's own objects: in the copy they name the
// copy's objects, in every mode (another database under a new name or the
// same name, the same database under a new name, a dump set); values naming
// objects elsewhere stay as they are. Compared without dbclone: each value
// resolved through the catalogs to schema.object on both sides.
std::string resolved_registry(EmbeddedCluster& cluster, const std::string& db, const std::string& schema) {
    const auto name_of = [](const std::string& catalog, const std::string& name_col,
                            const std::string& nsp_col, const std::string& value) {
        return "(SELECT n.nspname || '.' || o." + name_col + " FROM pg_catalog." + catalog +
               " o JOIN pg_catalog.pg_namespace n ON n.oid = o." + nsp_col + " WHERE o.oid = " + value + ")";
    };
    return cluster.query_value(
        db, "SELECT string_agg(concat_ws('|', id, " + name_of("pg_class", "relname", "relnamespace", "rel") +
                ", " + name_of("pg_type", "typname", "typnamespace", "typ") + ", " +
                name_of("pg_proc", "proname", "pronamespace", "fn") + ", " +
                name_of("pg_proc", "proname", "pronamespace", "fnsig") + ", " +
                "(SELECT string_agg(n.nspname || '.' || c.relname, ',' ORDER BY u.ord) FROM unnest(rels) "
                "WITH ORDINALITY u(r, ord) JOIN pg_catalog.pg_class c ON c.oid = u.r JOIN "
                "pg_catalog.pg_namespace n ON n.oid = c.relnamespace)), E'\\n' ORDER BY id) FROM " +
                pg::qualify(schema, "registry"));
}

TEST(FidelityRegValues, ValuesNamingTheSchemaNameTheCopysObjects) {
    auto& h = Harness::get();
    auto error = h.fixture_error("servers");
    if (!error.empty()) FAIL() << error;
    Harness::run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA fid_regmap;\n"
        "CREATE TABLE fid_regmap.item (id integer PRIMARY KEY);\n"
        "CREATE TYPE fid_regmap.mood AS ENUM ('ok', 'sad');\n"
        "CREATE FUNCTION fid_regmap.touch(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1';\n"
        "CREATE SEQUENCE fid_regmap.counter;\n"
        "CREATE VIEW fid_regmap.item_view AS SELECT id FROM fid_regmap.item;\n"
        "CREATE TABLE fid_regmap.registry (id integer PRIMARY KEY, rel regclass, typ regtype, fn regproc,\n"
        "  fnsig regprocedure, rels regclass[]);\n"
        "INSERT INTO fid_regmap.registry VALUES\n"
        "  (1, 'fid_regmap.item', 'fid_regmap.mood', 'fid_regmap.touch', 'fid_regmap.touch(integer)',\n"
        "   ARRAY['fid_regmap.counter', 'fid_regmap.item_view', 'pg_class']::regclass[]),\n"
        "  (2, 'pg_class', 'integer', 'pg_catalog.now', 'pg_catalog.abs(integer)', NULL),\n"
        "  (3, 'fid_regmap.registry', 'fid_regmap.item', NULL, NULL, '{}');\n");
    const auto source_values = resolved_registry(h.source(), kSourceDb, "fid_regmap");
    ASSERT_NE(source_values.find("fid_regmap.item|fid_regmap.mood|fid_regmap.touch"), std::string::npos)
        << source_values;
    const auto expected_in = [&](const std::string& schema) {
        static const std::regex source_name("\\bfid_regmap\\.");
        return std::regex_replace(source_values, source_name, schema + ".");
    };
    auto db = h.new_target_db("fid_regmap");
    auto store = h.new_dir("fidelity-regmap");
    auto ex =
        run_dbclone({"export", h.source_conninfo(), "--schema", "fid_regmap", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    struct Way {
        std::vector<std::string> args;
        EmbeddedCluster* cluster;
        std::string db;
        std::string schema;
    };
    for (const auto& way : std::vector<Way>{
             {{"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regmap:fid_rm_db"},
              &h.target(),
              db,
              "fid_rm_db"},
             {{"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regmap"},
              &h.target(),
              db,
              "fid_regmap"},
             {{"clone", h.source_conninfo(), h.source_conninfo(), "--schema", "fid_regmap:fid_rm_same"},
              &h.source(),
              kSourceDb,
              "fid_rm_same"},
             {{"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema",
               "fid_regmap:fid_rm_imp"},
              &h.target(),
              db,
              "fid_rm_imp"}}) {
        auto r = run_dbclone(way.args);
        ASSERT_EQ(r.exit_code, 0) << describe(r);
        EXPECT_NE(r.out.find("registry.rel (regclass"), std::string::npos)
            << "the report lists the remapped columns: " << describe(r);
        EXPECT_EQ(resolved_registry(*way.cluster, way.db, way.schema), expected_in(way.schema))
            << "in " << way.schema;
    }
    EXPECT_EQ(resolved_registry(h.source(), kSourceDb, "fid_regmap"), source_values)
        << "the source's rows changed";
}

// Values that cannot name the copy's object exactly stop the run before the
// target is touched, each column named with the reason: an index (built
// after the rows are loaded), an overloaded function name (regproc prints it
// qualified: the name alone is ambiguous), the schema itself (regnamespace).
// Values naming objects elsewhere do not stop it.
TEST(FidelityRefusal, RegValuesThatCannotNameTheCopyStopTheRun) {
    auto& h = Harness::get();
    auto error = h.fixture_error("servers");
    if (!error.empty()) FAIL() << error;
    Harness::run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA fid_regrefs;\n"
        "CREATE TABLE fid_regrefs.item (id integer PRIMARY KEY);\n"
        "CREATE FUNCTION fid_regrefs.f(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';\n"
        "CREATE FUNCTION fid_regrefs.f(text) RETURNS integer LANGUAGE sql AS 'SELECT 2';\n"
        "CREATE TABLE fid_regrefs.registry (idx regclass, fn regproc, nsp regnamespace, rel regclass);\n"
        "INSERT INTO fid_regrefs.registry VALUES ('fid_regrefs.item_pkey', NULL, NULL, 'fid_regrefs.item'),\n"
        "  (NULL, 'fid_regrefs.f(integer)'::regprocedure::oid::regproc, 'fid_regrefs', 'pg_class');\n"
        "CREATE TABLE fid_regrefs.elsewhere (rel regclass);\n"
        "INSERT INTO fid_regrefs.elsewhere VALUES ('pg_class');\n");
    auto db = h.new_target_db("fid_regrefs");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regrefs:fid_rr"},
             {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regrefs"},
             {"clone", h.source_conninfo(), h.source_conninfo(), "--schema", "fid_regrefs:fid_rr_same"}}) {
        auto r = run_dbclone(args);
        EXPECT_EQ(r.exit_code, 13) << describe(r);
        for (const char* named : {"registry.idx (regclass, 1 value(s)): item_pkey is an index",
                                  "registry.fn (regproc, 1 value(s)): fid_regrefs.f prints qualified",
                                  "registry.nsp (regnamespace, 1 value(s)): names the schema itself"})
            EXPECT_NE(r.err.find(named), std::string::npos) << named << " not named" << describe(r);
        EXPECT_EQ(r.err.find("registry.rel"), std::string::npos)
            << "a value naming a table loads exactly: " << describe(r);
        EXPECT_EQ(r.err.find("elsewhere"), std::string::npos) << "values naming pg_catalog copy as they are";
    }
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'fid_r%' "
                                     "OR nspname LIKE 'dbclone_incomplete%'"),
              "0");
    EXPECT_EQ(
        h.source().query_value(kSourceDb, "SELECT count(*) FROM pg_namespace WHERE nspname = 'fid_rr_same'"),
        "0");
}

// A value naming an index of the schema cannot load into a new copy (the
// index is built after the rows), but a refresh loads into the target's
// existing tables, whose index stands already: there the value loads as the
// copy's index. A refresh whose target lacks the index stops before it
// empties anything and names it.
TEST(FidelityRefusal, IndexValuesLoadOnRefreshWhereTheIndexStands) {
    auto& h = Harness::get();
    auto error = h.fixture_error("servers");
    if (!error.empty()) FAIL() << error;
    Harness::run_sql_as_app(h.source(), kSourceDb,
                            "CREATE SCHEMA fid_regidx;\n"
                            "CREATE TABLE fid_regidx.item (id integer PRIMARY KEY);\n"
                            "CREATE TABLE fid_regidx.registry (id integer PRIMARY KEY, idx regclass);\n"
                            "INSERT INTO fid_regidx.item VALUES (1), (2);\n");
    auto db = h.new_target_db("fid_regidx");
    // Cloned while no row names the index yet.
    auto r =
        run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regidx:fid_ri"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    Harness::run_sql_as_app(h.source(), kSourceDb,
                            "INSERT INTO fid_regidx.registry VALUES (1, 'fid_regidx.item_pkey'), "
                            "(2, 'fid_regidx.item');\n");
    // A new copy still cannot take it.
    auto db2 = h.new_target_db("fid_regidx2");
    r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db2), "--schema", "fid_regidx:fid_ri"});
    EXPECT_EQ(r.exit_code, 13) << describe(r);
    EXPECT_NE(r.err.find("registry.idx (regclass, 2 value(s)): item_pkey is an index"), std::string::npos)
        << describe(r);
    // The refresh takes it, as the copy's index.
    r = run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regidx:fid_ri"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(
        h.target().query_value(db,
                               "SELECT string_agg(c.relnamespace::regnamespace::text || '.' || c.relname, "
                               "',' ORDER BY r.id) FROM fid_ri.registry r JOIN pg_class c ON c.oid = r.idx"),
        "fid_ri.item_pkey,fid_ri.item");
    // Without the index on the target: stopped up front, rows kept.
    h.target().run_sql(db, "ALTER TABLE fid_ri.item DROP CONSTRAINT item_pkey");
    r = run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "fid_regidx:fid_ri"});
    EXPECT_EQ(r.exit_code, 13) << describe(r);
    EXPECT_NE(r.err.find("item_pkey (registry.idx"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("does not have"), std::string::npos) << describe(r);
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM fid_ri.registry"), "2");
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM fid_ri.item"), "2");
}

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (Mode m : {Mode::other_db, Mode::dump_set}) cases.push_back({"extensions", m});
    for (const char* family :
         {"tables", "types", "views", "functions", "text_search", "statistics", "operators", "billing",
          "music", "auth", "regress", "erp", "opclasses", "ts_parsers"})
        for (Mode m : {Mode::other_db, Mode::same_db, Mode::dump_set}) cases.push_back({family, m});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Schemas, Fidelity, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                             return param_info.param.family + "_" + mode_name(param_info.param.mode);
                         });

}  // namespace
}  // namespace dbclone::test
