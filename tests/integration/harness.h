// Integration-test harness: one source and one target throwaway PostgreSQL
// server for the whole run, fixtures loaded into the source, the real dbclone
// binary driven through its command line, and helpers that compare schemas by
// catalog inventory and by table contents.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "embedded/embedded_cluster.h"

namespace dbclone::test {

// The source database on the source server; it holds every fixture schema.
inline constexpr const char* kSourceDb = "src";
// Fixture schemas in kSourceDb.
inline constexpr const char* kPagila = "public";
inline constexpr const char* kDemo = "shop";
inline constexpr const char* kTypes = "types";
inline constexpr const char* kHostile = "Hostile \"Schema\" \xC3\xBC";  // Hostile "Schema" ü
inline constexpr const char* kTea = "tea";                              // one small table without a key
inline constexpr const char* kHard =
    "hard";  // procedures, partitions, identity, domains, ranges, views, triggers

// dbclone's exit code when verify finds a difference (docs/CLI.md).
inline constexpr int kExitVerifyMismatch = 11;

// The role a managed PostgreSQL service hands out (RDS, Cloud SQL, Azure,
// Supabase, Neon): LOGIN CREATEDB CREATEROLE, not SUPERUSER, not REPLICATION.
// It owns the source database and every test target database, the fixture
// schemas are loaded as this role, and dbclone runs as it by default.
inline constexpr const char* kAppRole = "dbclone_app";

struct DbcloneResult {
    int exit_code = -1;
    std::string out;
    std::string err;
    std::string command;    // for failure messages
    long peak_rss_kib = 0;  // dbclone's largest resident set
};

using EnvChanges = std::map<std::string, std::optional<std::string>>;

// Runs DBCLONE_BINARY with these arguments (no shell); journals go to the
// harness work directory; PG* variables of the caller are not inherited.
// interrupt_after > 0: send SIGINT that long after the start (interrupted-run tests).
DbcloneResult run_dbclone(const std::vector<std::string>& args, const EnvChanges& env = {},
                          std::chrono::milliseconds interrupt_after = std::chrono::milliseconds(0));
// Printable summary for assertion messages.
std::string describe(const DbcloneResult& r);

class Harness : public ::testing::Environment {
public:
    static Harness& get();

    void SetUp() override;
    void TearDown() override;

    // Empty when the fixture ("servers", "pagila", "demo", "types", "hostile",
    // "tea", "hard") is loaded, else why it is not.
    // Loads it on first use (servers are started on first use too).
    std::string fixture_error(const std::string& fixture);
    // Non-empty when the fixture's data lives outside the repository
    // (../shared) and is absent: tests that need it skip with this message.
    std::string fixture_skip(const std::string& fixture);

    EmbeddedCluster& source();
    EmbeddedCluster& target();
    // dbclone's connections: as kAppRole (the default users have) ...
    std::string source_conninfo() { return as_app_role(source().conninfo(kSourceDb)); }
    std::string target_conninfo(const std::string& db) { return as_app_role(target().conninfo(db)); }
    // ... or, only where a test says why, as the servers' superuser.
    std::string source_superuser_conninfo() { return source().conninfo(kSourceDb); }
    std::string target_superuser_conninfo(const std::string& db) { return target().conninfo(db); }
    // A new empty database on the target server, named after the test.
    std::string new_target_db(const std::string& hint);
    // A new empty directory under the run's work directory.
    std::filesystem::path new_dir(const std::string& hint);
    const std::filesystem::path& work_dir() const { return work_dir_; }

    // Loads a fixture into a database of any server: the repository's own
    // schemas as kAppRole, pagila with kAppRole as its owner. Throws Error.
    static void load_fixture_sql(EmbeddedCluster& cluster, const std::string& db, const std::string& name);
    // Runs SQL on the cluster as kAppRole (objects it creates are that role's).
    static void run_sql_as_app(EmbeddedCluster& cluster, const std::string& db, const std::string& sql);
    // A cluster's superuser conninfo turned into kAppRole's.
    static std::string as_app_role(const std::string& superuser_conninfo);
    // Creates kAppRole on a server (idempotent) and a database it owns.
    static void create_app_role(EmbeddedCluster& cluster);
    static void create_app_database(EmbeddedCluster& cluster, const std::string& db);

private:
    void ensure_servers();
    void load_fixture(const std::string& name);

    std::filesystem::path work_dir_;
    std::unique_ptr<EmbeddedCluster> source_;
    std::unique_ptr<EmbeddedCluster> target_;
    std::map<std::string, std::string> fixture_errors_;
    bool servers_tried_ = false;
    int counter_ = 0;
};

// Fails the current test when a fixture cannot be loaded; skips it, saying
// what is missing, when the fixture's data is shared test data (../shared)
// that is not beside this checkout.
#define DBCLONE_REQUIRE_FIXTURE(name)                                                                   \
    do {                                                                                                \
        const std::string dbclone_fixture_skip_ = ::dbclone::test::Harness::get().fixture_skip(name);   \
        if (!dbclone_fixture_skip_.empty()) GTEST_SKIP() << dbclone_fixture_skip_;                      \
        const std::string dbclone_fixture_error_ = ::dbclone::test::Harness::get().fixture_error(name); \
        if (!dbclone_fixture_error_.empty()) FAIL() << dbclone_fixture_error_;                          \
    } while (false)

// ---- comparisons -----------------------------------------------------------

// One line per object of the schema: kind, name and the attributes that must
// survive a clone (column types/defaults/identity/generated, constraint and
// view definitions, index kinds, trigger state, sequence settings and values,
// comments, grants), rendered with search_path set to the schema so that a
// remapped copy prints identically.
// Every schema and relation of a target database, one "schema.relation" ("schema.-"
// for an empty schema) list: what a refused import must not have added.
std::string target_objects(const std::string& db);

std::vector<std::string> inventory(EmbeddedCluster& cluster, const std::string& db,
                                   const std::string& schema);
// table name -> "rows md5" of the whole content (partitioned parents and leaves).
std::map<std::string, std::string> table_checksums(EmbeddedCluster& cluster, const std::string& db,
                                                   const std::string& schema);
// sequence name -> "last_value is_called".
std::map<std::string, std::string> sequence_values(EmbeddedCluster& cluster, const std::string& db,
                                                   const std::string& schema);
bool schema_exists(EmbeddedCluster& cluster, const std::string& db, const std::string& schema);
// A failed or interrupted run leaves no schema `schema` that looks complete:
// it is absent, or its comment says "incomplete".
void expect_no_complete_schema(EmbeddedCluster& cluster, const std::string& db, const std::string& schema);

// Asserts that `dst` in (dst_cluster, dst_db) equals `src` in (src_cluster, src_db):
// same inventory, same contents, same sequence values.
void expect_same_schema(EmbeddedCluster& src_cluster, const std::string& src_db, const std::string& src,
                        EmbeddedCluster& dst_cluster, const std::string& dst_db, const std::string& dst);

// Files under dir (recursively) whose name ends with suffix / contains part.
std::vector<std::filesystem::path> find_files(const std::filesystem::path& dir, const std::string& name_part);
std::string read_file(const std::filesystem::path& file);
// file:// URL of a directory.
std::string file_url(const std::filesystem::path& dir);

// A dbclone run halted at a fault point (DBCLONE_FAULT=<point>,
// DBCLONE_FAULT_ACTION=stop), holding its locks and connections, while a
// test acts; `work` is the run's --work-dir, whose run lock names its pid.
class HaltedRun {
public:
    // Starts the run in a thread and waits (up to 60 s) until it halts.
    HaltedRun(const std::vector<std::string>& args, const std::filesystem::path& work,
              const std::string& point);
    ~HaltedRun();
    HaltedRun(const HaltedRun&) = delete;
    HaltedRun& operator=(const HaltedRun&) = delete;
    // False when the run ended, or ran on, without halting at the point.
    bool halted() const { return pid_ != 0; }
    int pid() const { return pid_; }
    // Lets the run go on (SIGCONT) and waits for its end.
    const DbcloneResult& finish();

private:
    int pid_ = 0;
    DbcloneResult result_;
    std::thread runner_;
};

}  // namespace dbclone::test
