// An interrupted run (SIGINT) stops with exit 12, leaves nothing that looks
// complete, and `--resume` finishes it with the same result as an
// uninterrupted run.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitInterrupted = 12;
// SIGINT arrives at a fixed moment of the run - the third journal record
// (a table or chunk is done, many remain) - rather than after a fixed delay,
// which on a slow or sanitized build can land before the handler is installed.
const EnvChanges kInterruptMidRun{{"DBCLONE_FAULT", "journal:before-done@3"},
                                  {"DBCLONE_FAULT_ACTION", "interrupt"}};

TEST(Interrupt, ExportStopsWithExit12AndResumes) {
    DBCLONE_REQUIRE_FIXTURE("types");
    auto& h = Harness::get();
    auto store = h.new_dir("store-interrupted");
    std::vector<std::string> args{"export",  h.source_conninfo(), "--schema",     kTypes,
                                  "--store", file_url(store),     "--chunk-size", "1MiB"};
    auto first = run_dbclone(args, kInterruptMidRun);
    ASSERT_EQ(first.exit_code, kExitInterrupted) << describe(first);

    std::vector<std::string> resume{"--resume"};
    resume.insert(resume.end(), args.begin(), args.end());
    auto second = run_dbclone(resume);
    ASSERT_EQ(second.exit_code, 0) << describe(second);

    auto db = h.new_target_db("interrupted_export");
    auto im = run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema",
                           "types:types_resumed"});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    expect_same_schema(h.source(), kSourceDb, kTypes, h.target(), db, "types_resumed");
}

TEST(Interrupt, CloneStopsWithExit12AndResumes) {
    DBCLONE_REQUIRE_FIXTURE("types");
    auto& h = Harness::get();
    auto db = h.new_target_db("interrupted_clone");
    std::vector<std::string> args{"clone", h.source_conninfo(), h.target_conninfo(db), "--schema",
                                  "types:types_rc"};
    auto first = run_dbclone(args, kInterruptMidRun);
    ASSERT_EQ(first.exit_code, kExitInterrupted) << describe(first);
    expect_no_complete_schema(h.target(), db, "types_rc");

    std::vector<std::string> resume{"--resume"};
    resume.insert(resume.end(), args.begin(), args.end());
    auto second = run_dbclone(resume);
    ASSERT_EQ(second.exit_code, 0) << describe(second);
    expect_same_schema(h.source(), kSourceDb, kTypes, h.target(), db, "types_rc");
}

}  // namespace
}  // namespace dbclone::test
