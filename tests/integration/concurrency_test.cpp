// One run at a time: while a run is under way (halted by the test-only fault
// hook with SIGSTOP, so it holds its locks), the same command again, its
// --resume, and another run into the same target schema are all refused with
// the holder named; the first run then finishes with nothing lost.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitBusy = 14;

TEST(Concurrency, SecondRunIsRefusedWithTheHolderNamedAndTheFirstLosesNothing) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto& h = Harness::get();
    auto work = h.new_dir("concurrency-work");
    auto db = h.new_target_db("concurrent");
    std::vector<std::string> args{
        "clone",      h.source_conninfo(), h.target_conninfo(db), "--schema", std::string(kDemo) + ":shop_c",
        "--work-dir", work.string()};
    // Halts after its second journal record (the snapshot step is done; the
    // target lock and the run lock are held).
    HaltedRun first(args, work, "journal:before-done@2");
    if (!first.halted())
        FAIL() << "the first run did not halt at its fault point" << describe(first.finish());
    const std::string holder = "pid " + std::to_string(first.pid());

    auto again = run_dbclone(args);
    EXPECT_EQ(again.exit_code, kExitBusy) << describe(again);
    EXPECT_NE(again.err.find(holder), std::string::npos) << "holder not named" << describe(again);

    auto resume = args;
    resume.insert(resume.begin(), "--resume");
    auto resumed = run_dbclone(resume);
    EXPECT_EQ(resumed.exit_code, kExitBusy) << describe(resumed);
    EXPECT_NE(resumed.err.find(holder), std::string::npos) << "holder not named" << describe(resumed);

    // Another run (another source schema, so another journal) into the same target schema.
    auto other = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema",
                              std::string(kTea) + ":shop_c", "--work-dir", work.string()});
    EXPECT_EQ(other.exit_code, kExitBusy) << describe(other);
    EXPECT_NE(other.err.find("server pid"), std::string::npos) << "holder not named" << describe(other);

    const auto& finished = first.finish();
    ASSERT_EQ(finished.exit_code, 0) << describe(finished);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_c");
    EXPECT_TRUE(find_files(work, ".journal").empty()) << "a journal or lock file was left behind";
}

}  // namespace
}  // namespace dbclone::test
