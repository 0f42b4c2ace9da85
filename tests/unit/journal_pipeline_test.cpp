#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"

namespace dbclone {
namespace {

class JournalTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto pattern = (std::filesystem::temp_directory_path() / "dbclone-journal-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
    nlohmann::json header_ = {{"command", "clone"}, {"source", "a"}};
};

TEST_F(JournalTest, RecordsSurviveReopenOnResume) {
    auto path = dir_ / "run.journal";
    {
        auto j = Journal::open(path, header_, false);
        j.mark_done("table:t0001", {{"rows", 5}});
        j.set("dump_dir", "x/y");
    }
    auto j = Journal::open(path, header_, true);
    EXPECT_TRUE(j.resumed());
    EXPECT_TRUE(j.done("table:t0001"));
    EXPECT_EQ(j.done_detail("table:t0001")->at("rows"), 5);
    EXPECT_EQ(j.get("dump_dir")->get<std::string>(), "x/y");
    EXPECT_FALSE(j.done("table:t0002"));
}

TEST_F(JournalTest, ExistingJournalNeedsResumeAndTheSameRun) {
    auto path = dir_ / "run.journal";
    {
        auto j = Journal::open(path, header_, false);
        j.mark_done("step:a");
    }
    EXPECT_THROW(Journal::open(path, header_, false), Error);
    EXPECT_THROW(Journal::open(path, {{"command", "other"}}, true), Error);
}

// A run that stopped before doing anything (a usage error in its first step)
// must not block the corrected command.
TEST_F(JournalTest, JournalWithNothingDoneDoesNotBlockANewRun) {
    auto path = dir_ / "run.journal";
    { auto j = Journal::open(path, header_, false, {}, {{"--chunk-size", 1}}); }
    auto j = Journal::open(path, header_, false, {}, {{"--chunk-size", 2}});
    EXPECT_FALSE(j.resumed());
    j.mark_done("step:a");
}

TEST_F(JournalTest, ResumeWithOtherSettingsIsRefusedNamingThem) {
    auto path = dir_ / "run.journal";
    const nlohmann::json settings = {{"--chunk-size", 1048576}, {"--retention", "temp"}};
    {
        auto j = Journal::open(path, header_, false, {}, settings);
        j.mark_done("table:t1");
    }
    auto changed = settings;
    changed["--chunk-size"] = 65536;
    try {
        Journal::open(path, header_, true, {}, changed);
        FAIL() << "a resume with another chunk size was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_NE(e.message().find("--chunk-size 65536 (the interrupted run: 1048576)"), std::string::npos)
            << e.message();
        EXPECT_NE(e.hint().find("--chunk-size 1048576"), std::string::npos) << e.hint();
    }
    auto j = Journal::open(path, header_, true, {}, settings);
    EXPECT_TRUE(j.done("table:t1"));
    EXPECT_EQ(Journal::read_settings(path), settings);
}

TEST_F(JournalTest, TornLastLineIsIgnored) {
    auto path = dir_ / "run.journal";
    {
        auto j = Journal::open(path, header_, false);
        j.mark_done("step:a");
    }
    std::ofstream(path, std::ios::app) << "{\"done\":\"step:b\",\"deta";
    auto j = Journal::open(path, header_, true);
    EXPECT_TRUE(j.done("step:a"));
    EXPECT_FALSE(j.done("step:b"));
}

TEST_F(JournalTest, PipelineResumesAfterTheFailedStep) {
    auto path = dir_ / "run.journal";
    std::vector<std::string> ran;
    bool fail_second = true;
    auto make_plan = [&] {
        Plan plan("test");
        plan.add({"connect", "connect", "", [&](StepContext&) { ran.push_back("connect"); }, true});
        plan.add({"first", "first", "", [&](StepContext&) { ran.push_back("first"); }});
        plan.add({"second", "second", "", [&](StepContext&) {
                      ran.push_back("second");
                      if (fail_second) throw Error(ErrorKind::sql, "boom");
                  }});
        plan.add({"third", "third", "", [&](StepContext&) { ran.push_back("third"); }});
        return plan;
    };
    Progress quiet(Progress::Style::quiet);
    {
        auto plan = make_plan();
        auto j = Journal::open(path, header_, false);
        try {
            run_plan(plan, j, quiet);
            FAIL() << "the second step should have failed";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::sql);
            EXPECT_NE(e.one_line().find("step second"), std::string::npos) << e.one_line();
        }
    }
    EXPECT_EQ(ran, (std::vector<std::string>{"connect", "first", "second"}));
    ran.clear();
    fail_second = false;
    auto plan = make_plan();
    auto j = Journal::open(path, header_, true);
    run_plan(plan, j, quiet);
    // connect re-runs (session state), first is skipped, second and third run.
    EXPECT_EQ(ran, (std::vector<std::string>{"connect", "second", "third"}));
}

TEST_F(JournalTest, SecondOpenOfARunningJournalIsBusyAndNamesTheHolder) {
    auto path = dir_ / "run.journal";
    auto first = Journal::open(path, header_, false);
    try {
        Journal::open(path, header_, true);
        FAIL() << "a second open of a held journal must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::busy);
        EXPECT_EQ(exit_code(e.kind()), 14);
        EXPECT_NE(e.message().find("pid " + std::to_string(::getpid()) + " on host "), std::string::npos)
            << e.message();
    }
    EXPECT_TRUE(std::filesystem::exists(Journal::lock_path(path)));
}

TEST_F(JournalTest, LockFileGoesWithTheJournalAndTheRunCanBeResumed) {
    auto path = dir_ / "run.journal";
    {
        auto j = Journal::open(path, header_, false);
        j.mark_done("step:a");
    }
    EXPECT_FALSE(std::filesystem::exists(Journal::lock_path(path)));
    auto again = Journal::open(path, header_, true);
    EXPECT_TRUE(again.resumed());
}

}  // namespace
}  // namespace dbclone
