// Ctrl-C stops a statement blocked on the server. A target table is locked
// by another session; the run's load waits on that lock; SIGINT, sent once
// the server shows dbclone waiting, cancels the waiting statement and the
// run exits 12 with a journal that --resume completes once the lock is gone.
// --lock-wait-timeout makes the same wait end by itself (exit 9, SQLSTATE
// 55P03, resumable). No timing is asserted: a hang would end at the
// harness's timeout and fail the exit code check.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "engine/postgres/libpq/connection.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitSql = 9;
constexpr int kExitInterrupted = 12;

// The pid of the process whose command line holds `marker` (our dbclone:
// its --work-dir is unique to the test), 0 when none.
pid_t pid_with_argument(const std::string& marker) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmdline.find(marker) != std::string::npos && cmdline.find("dbclone") != std::string::npos &&
            static_cast<pid_t>(std::stol(name)) != getpid())
            return static_cast<pid_t>(std::stol(name));
    }
    return 0;
}

class Cancel : public ::testing::Test {
protected:
    void SetUp() override {
        DBCLONE_REQUIRE_FIXTURE("tea");
        auto& h = Harness::get();
        db_ = h.new_target_db("cancel");
        auto first =
            run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db_), "--schema", "tea:tea_c"});
        ASSERT_EQ(first.exit_code, 0) << describe(first);
        work_ = h.new_dir("cancel-work");
        // Another session holds a lock the load needs (SHARE: reads of the
        // catalog and sizes go on, TRUNCATE and COPY wait), until the test lets go.
        holder_ = std::make_unique<pg::Connection>(h.target_superuser_conninfo(db_), "lock holder");
        holder_->exec("BEGIN");
        holder_->exec("LOCK TABLE tea_c.plain IN SHARE MODE");
    }
    void TearDown() override {
        if (holder_) holder_->rollback_quietly();
    }

    std::vector<std::string> args(const std::vector<std::string>& before = {}) const {
        auto& h = Harness::get();
        std::vector<std::string> a = {"--work-dir", work_.string()};
        a.insert(a.end(), before.begin(), before.end());
        for (const auto& s : {std::string("refresh"), h.source_conninfo(), h.target_conninfo(db_),
                              std::string("--schema"), std::string("tea:tea_c")})
            a.push_back(s);
        return a;
    }

    // Whether a dbclone session waits on a lock on the target.
    bool dbclone_waits_on_lock() const {
        return Harness::get().target().query_value(
                   db_,
                   "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbclone' "
                   "AND wait_event_type = 'Lock'") != "0";
    }

    void release_lock() {
        holder_->exec("ROLLBACK");
        holder_.reset();
    }

    void expect_resume_completes() {
        auto& h = Harness::get();
        auto resume = args({"--resume"});
        auto r = run_dbclone(resume);
        ASSERT_EQ(r.exit_code, 0) << describe(r);
        EXPECT_EQ(table_checksums(h.target(), db_, "tea_c"), table_checksums(h.source(), kSourceDb, kTea));
    }

    std::string db_;
    std::filesystem::path work_;
    std::unique_ptr<pg::Connection> holder_;
};

TEST_F(Cancel, SigintStopsAStatementBlockedOnALock) {
    std::atomic<bool> done{false};
    std::atomic<bool> signalled{false};
    std::chrono::steady_clock::time_point signalled_at;
    // Signals dbclone once the server shows it waiting on the held lock.
    std::thread watcher([&] {
        while (!done.load()) {
            if (dbclone_waits_on_lock()) {
                if (pid_t pid = pid_with_argument(work_.string())) {
                    signalled_at = std::chrono::steady_clock::now();
                    ::kill(pid, SIGINT);
                    signalled.store(true);
                    return;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    auto r = run_dbclone(args());
    const auto ended_at = std::chrono::steady_clock::now();
    done.store(true);
    watcher.join();
    ASSERT_TRUE(signalled.load()) << "dbclone never waited on the lock" << describe(r);
    EXPECT_EQ(r.exit_code, kExitInterrupted) << describe(r);
    EXPECT_NE(r.err.find("--resume"), std::string::npos) << describe(r);
    std::cout << "[ info ] exited "
              << std::chrono::duration_cast<std::chrono::milliseconds>(ended_at - signalled_at).count()
              << " ms after SIGINT\n";
    release_lock();
    expect_resume_completes();
}

TEST_F(Cancel, LockWaitTimeoutEndsTheWaitResumably) {
    auto r = run_dbclone(args({"--lock-wait-timeout", "1s"}));
    EXPECT_EQ(r.exit_code, kExitSql) << describe(r);
    EXPECT_NE(r.err.find("55P03"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("--lock-wait-timeout"), std::string::npos)
        << "the hint names the option" << describe(r);
    release_lock();
    expect_resume_completes();
}

TEST_F(Cancel, LockWaitTimeoutRefusesAnythingButADuration) {
    auto r = run_dbclone(args({"--lock-wait-timeout", "soon"}));
    EXPECT_EQ(r.exit_code, 2) << describe(r);
}

}  // namespace
}  // namespace dbclone::test
