// The throwaway server itself: start, create a database, load the demo schema,
// query it, stop, and leave nothing behind.
#include "embedded/embedded_cluster.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "embedded/demo_schema.h"
#include "embedded/pg_binaries.h"
#include "embedded/subprocess.h"
#include "harness.h"

namespace dbclone {
namespace {

TEST(EmbeddedCluster, FindsServerPrograms) {
    auto bindir = find_pg_bindir();
    EXPECT_EQ(access((bindir / "initdb").c_str(), X_OK), 0) << bindir;
    EXPECT_EQ(access((bindir / "pg_ctl").c_str(), X_OK), 0) << bindir;
}

TEST(EmbeddedCluster, BadBindirOverrideIsNotFound) {
    const char* old = std::getenv("DBCLONE_PG_BINDIR");
    std::string saved = old != nullptr ? old : "";
    setenv("DBCLONE_PG_BINDIR", "/nonexistent/bin", 1);
    try {
        find_pg_bindir();
        ADD_FAILURE() << "expected Error(not_found)";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::not_found);
        EXPECT_NE(e.hint().find("install-deps.sh"), std::string::npos) << e.hint();
    }
    if (old != nullptr)
        setenv("DBCLONE_PG_BINDIR", saved.c_str(), 1);
    else
        unsetenv("DBCLONE_PG_BINDIR");
}

TEST(EmbeddedCluster, ConninfoValuesAreQuotedForLibpq) {
    EXPECT_EQ(conninfo_value("plain"), "plain");
    EXPECT_EQ(conninfo_value(""), "''");
    EXPECT_EQ(conninfo_value("a b"), "'a b'");
    EXPECT_EQ(conninfo_value("it's\\x"), "'it\\'s\\\\x'");
}

TEST(EmbeddedCluster, StartsLoadsDemoQueriesAndStops) {
    auto dir = test::Harness::get().new_dir("embedded-cluster-test") / "cluster";
    std::filesystem::path socket_dir;
    {
        auto cluster = EmbeddedCluster::start({.dir = dir, .name = "unit"});
        socket_dir = cluster->socket_dir();
        EXPECT_TRUE(std::filesystem::exists(dir / "data" / "PG_VERSION"));
        EXPECT_LE(socket_dir.string().size() + 25, 107U) << socket_dir;  // "/.s.PGSQL.NNNNN.lock"
        EXPECT_GT(cluster->port(), 0);
        EXPECT_NE(cluster->conninfo("x").find("dbname=x"), std::string::npos);

        cluster->create_database("Demo DB \"quoted\"");
        EXPECT_EQ(cluster->query_value("Demo DB \"quoted\"", "SELECT current_database()"),
                  "Demo DB \"quoted\"");
        cluster->run_sql_file("Demo DB \"quoted\"", find_demo_sql());
        EXPECT_EQ(cluster->query_value("Demo DB \"quoted\"", "SELECT count(*) FROM shop.customer"), "1000");
        EXPECT_EQ(cluster->query_value("Demo DB \"quoted\"", "SELECT count(*) FROM shop.orders"), "3000");
        EXPECT_EQ(cluster->query_value("Demo DB \"quoted\"", "SELECT count(*) FROM shop.event_log"), "4000");
        EXPECT_EQ(cluster->query_value(
                      "Demo DB \"quoted\"",
                      "SELECT count(*) FROM pg_inherits WHERE inhparent = 'shop.event_log'::regclass"),
                  "3");
        EXPECT_EQ(cluster->query_value("Demo DB \"quoted\"", "SELECT last_value FROM shop.invoice_no_seq"),
                  "4242");
        EXPECT_EQ(cluster->query_value("Demo DB \"quoted\"",
                                       "SELECT tgenabled FROM pg_trigger WHERE tgname = 'orders_log_status'"),
                  "D");

        cluster->run_sql("postgres", "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2);");
        EXPECT_EQ(cluster->query_value("postgres", "SELECT sum(a) FROM t"), "3");
        try {
            cluster->run_sql("postgres", "SELECT * FROM no_such_table");
            ADD_FAILURE() << "a failing statement must throw";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::sql);
            EXPECT_NE(e.message().find("no_such_table"), std::string::npos) << e.message();
        }
    }
    EXPECT_FALSE(std::filesystem::exists(dir)) << "cluster directory left behind";
    EXPECT_FALSE(std::filesystem::exists(socket_dir)) << "socket directory left behind";
}

TEST(EmbeddedCluster, PasswordAuthenticationRejectsWrongPassword) {
    auto dir = test::Harness::get().new_dir("embedded-cluster-auth") / "cluster";
    auto cluster = EmbeddedCluster::start(
        {.dir = dir, .name = "auth", .auth_method = "scram-sha-256", .superuser_password = "right pw"});
    EXPECT_EQ(cluster->query_value("postgres", "SELECT 1"), "1");
    auto bindir = find_pg_bindir();
    SubprocessOptions opts{.drop_env_prefixes = {"PG"}};
    opts.env["PGPASSWORD"] = "wrong";
    auto result = run_subprocess(
        {(bindir / "psql").string(), "-X", "-At", "-d", cluster->conninfo(), "-c", "SELECT 1"}, opts);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.err.find("password authentication failed"), std::string::npos) << result.err;
}

TEST(EmbeddedCluster, ExistingDirectoryKeepsTheCallersFiles) {
    auto dir = test::Harness::get().new_dir("embedded-cluster-existing");
    std::ofstream(dir / "callers-file.txt") << "keep me";
    {
        auto cluster =
            EmbeddedCluster::start({.dir = dir, .name = "a/b c"});  // odd name: socket dir still valid
        EXPECT_EQ(cluster->query_value("postgres", "SELECT 1"), "1");
    }
    EXPECT_TRUE(std::filesystem::exists(dir / "callers-file.txt"));
    EXPECT_FALSE(std::filesystem::exists(dir / "data"));
}

TEST(EmbeddedCluster, KeepOnStopLeavesDirectory) {
    auto dir = test::Harness::get().new_dir("embedded-cluster-keep") / "cluster";
    { auto cluster = EmbeddedCluster::start({.dir = dir, .name = "keep", .keep_on_stop = true}); }
    EXPECT_TRUE(std::filesystem::exists(dir / "data" / "PG_VERSION"));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbclone
