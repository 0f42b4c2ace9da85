// Through a transaction-mode pooler (Debian's pgbouncer, pool_mode =
// transaction, on loopback in front of both test servers): consecutive
// transactions of one client run in different server sessions, so nothing
// may rely on session state (search_path, session_replication_role, the
// session settings, a session advisory lock). clone, export, import and
// refresh run through it as the managed-service role and are compared with
// the source without dbclone (catalog inventory, rows md5). Skips, saying
// so, when pgbouncer is not installed (scripts/install-deps.sh --test).
#include <gtest/gtest.h>

#include "harness.h"
#include "pgbouncer.h"

namespace dbclone::test {
namespace {

TEST(Pooler, CloneExportImportAndRefreshThroughPgbouncerInTransactionMode) {
    if (auto m = PgBouncer::missing(); !m.empty()) GTEST_SKIP() << m;
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("pooler");
    PgBouncer pooler;
    ASSERT_NO_FATAL_FAILURE(pooler.start({{"src", &h.source(), kSourceDb}, {"tgt", &h.target(), db}}));
    const auto source = pooler.conninfo("src");
    const auto target = pooler.conninfo("tgt");

    // clone: both sides through the pooler.
    auto c = run_dbclone({"-v", "--jobs", "2", "clone", source, target, "--schema", "shop:shop_pooled"});
    ASSERT_EQ(c.exit_code, 0) << describe(c) << pooler.log();
    EXPECT_NE(c.err.find("transaction-mode pooler"), std::string::npos)
        << "the pooler was not detected: " << describe(c);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_pooled");

    // export and import through it.
    auto store = h.new_dir("pooler_store");
    auto ex = run_dbclone({"--jobs", "2", "export", source, "--schema", "shop", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    auto im = run_dbclone(
        {"--jobs", "2", "import", target, "--store", file_url(store), "--schema", "shop:shop_imported"});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_imported");

    // refresh after pre-prod drifted: the loaded tables' search_path and
    // the load sessions' settings must hold in every transaction.
    h.target().run_sql(db, "UPDATE shop_pooled.customer SET full_name = 'changed on pre-prod'");
    auto rf = run_dbclone({"--jobs", "2", "refresh", source, target, "--schema", "shop:shop_pooled"});
    ASSERT_EQ(rf.exit_code, 0) << describe(rf) << pooler.log();
    EXPECT_EQ(table_checksums(h.target(), db, "shop_pooled"), table_checksums(h.source(), kSourceDb, kDemo));

    // The run's lock went with the run: a second refresh is not "busy".
    auto again = run_dbclone({"--jobs", "2", "refresh", source, target, "--schema", "shop:shop_pooled"});
    EXPECT_EQ(again.exit_code, 0) << describe(again);
}

}  // namespace
}  // namespace dbclone::test
