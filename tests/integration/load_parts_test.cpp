// Where a clone's servers run decides whether a table that dominates the
// copy is cut into parts (data/table_parts.h, issue 13): with both servers
// on this machine they share its cores with dbclone, and on two cores or
// fewer the table loads whole, in one transaction with COPY FREEZE; with a
// server elsewhere (or not known to be here) it loads in parts, one
// transaction each. Told apart without dbclone: the rows of a table loaded
// in one transaction share one xmin. The servers are reached through a
// Unix-domain socket, through pgbouncer on loopback and through pgbouncer
// on this machine's other address, which counts as elsewhere (it could as
// well be another host).
#include <gtest/gtest.h>
#include <sched.h>

#include <string>

#include "engine/postgres/libpq/connection.h"
#include "harness.h"
#include "pgbouncer.h"

namespace dbclone::test {
namespace {

constexpr const char* kSchema = "load_parts";

// `big` is about 150 MB, over twice the 64 MiB a part holds at least (a
// table is cut into two parts or more), and most of the schema: with 2
// jobs, over an even share.
void load_source_schema() {
    Harness::run_sql_as_app(Harness::get().source(), kSourceDb, R"SQL(
DROP SCHEMA IF EXISTS load_parts CASCADE;
CREATE SCHEMA load_parts;
CREATE TABLE load_parts.big (id int PRIMARY KEY, note text NOT NULL);
INSERT INTO load_parts.big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 900000) g;
CREATE TABLE load_parts.small (id int PRIMARY KEY, big_id int REFERENCES load_parts.big);
INSERT INTO load_parts.small SELECT g, g FROM generate_series(1, 1000) g;
)SQL");
}

// How many transactions wrote the rows of `table` in the copy.
int writing_transactions(const std::string& db, const std::string& schema, const std::string& table) {
    return std::stoi(Harness::get().target().query_value(
        db, "SELECT count(DISTINCT xmin::text) FROM " + schema + "." + table));
}

// Runs fn with this thread (and so the processes it starts) on one core.
template <typename Fn>
void on_one_core(Fn&& fn) {
    cpu_set_t saved;
    ASSERT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
    cpu_set_t one;
    CPU_ZERO(&one);
    int first = 0;
    while (!CPU_ISSET(first, &saved)) ++first;
    CPU_SET(first, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    fn();
    ASSERT_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
}

TEST(ServerPlace, ASocketAndLoopbackAreThisMachineAnotherAddressIsNot) {
    if (auto m = PgBouncer::missing(); !m.empty()) GTEST_SKIP() << m;
    auto& h = Harness::get();
    EXPECT_TRUE(pg::Connection(h.source_conninfo(), "source").on_this_machine()) << "Unix-domain socket";

    PgBouncer loopback({.listen_addr = "127.0.0.1", .pool_mode = "session"});
    ASSERT_NO_FATAL_FAILURE(loopback.start({{"src", &h.source(), kSourceDb}}));
    EXPECT_TRUE(pg::Connection(loopback.conninfo("src"), "source").on_this_machine()) << "127.0.0.1";
    auto by_name = loopback.conninfo("src");
    by_name.replace(by_name.find("127.0.0.1"), 9, "localhost");
    EXPECT_TRUE(pg::Connection(by_name, "source").on_this_machine()) << "localhost";

    const auto other = non_loopback_ipv4();
    if (other.empty())
        GTEST_SKIP() << "this machine has no address but loopback: the remote case is not tried";
    PgBouncer elsewhere({.listen_addr = other, .pool_mode = "session"});
    ASSERT_NO_FATAL_FAILURE(elsewhere.start({{"src", &h.source(), kSourceDb}}));
    EXPECT_FALSE(pg::Connection(elsewhere.conninfo("src"), "source").on_this_machine()) << other;
}

TEST(LoadParts, ADominantTableLoadsWholeWhereBothServersShareFewCoresAndInPartsFromElsewhere) {
    auto& h = Harness::get();
    load_source_schema();
    const auto source_rows = table_checksums(h.source(), kSourceDb, kSchema);

    // Both servers here, dbclone (and so the cores it counts) on one core.
    auto here = h.new_target_db("load_parts_here");
    on_one_core([&] {
        auto r = run_dbclone(
            {"--jobs", "2", "clone", h.source_conninfo(), h.target_conninfo(here), "--schema", kSchema});
        ASSERT_EQ(r.exit_code, 0) << describe(r);
    });
    EXPECT_EQ(writing_transactions(here, kSchema, "big"), 1) << "both servers here on one core: loaded whole";
    EXPECT_EQ(table_checksums(h.target(), here, kSchema), source_rows);

    // The source reached through this machine's other address: not known
    // to share cores, the balance decides (big is over an even share).
    if (auto m = PgBouncer::missing(); !m.empty()) GTEST_SKIP() << m;
    const auto other = non_loopback_ipv4();
    if (other.empty())
        GTEST_SKIP() << "this machine has no address but loopback: the remote case is not tried";
    PgBouncer elsewhere({.listen_addr = other, .pool_mode = "session"});
    ASSERT_NO_FATAL_FAILURE(elsewhere.start({{"src", &h.source(), kSourceDb}}));
    auto remote = h.new_target_db("load_parts_remote");
    on_one_core([&] {
        auto r = run_dbclone({"--jobs", "2", "clone", elsewhere.conninfo("src"), h.target_conninfo(remote),
                              "--schema", kSchema});
        ASSERT_EQ(r.exit_code, 0) << describe(r) << elsewhere.log();
    });
    EXPECT_GE(writing_transactions(remote, kSchema, "big"), 2) << "a source elsewhere: loaded in parts";
    EXPECT_EQ(table_checksums(h.target(), remote, kSchema), source_rows);
    Harness::run_sql_as_app(h.source(), kSourceDb, "DROP SCHEMA load_parts CASCADE");
}

}  // namespace
}  // namespace dbclone::test
