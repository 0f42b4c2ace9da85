// run_jobs (core/worker_pool): every job once, jobs handed out in order, the
// first failure stops the hand-out and is rethrown after all workers joined.
#include "core/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

#include "core/error.h"

namespace dbclone {
namespace {

TEST(WorkerPool, EveryJobRunsOnceOnAValidWorker) {
    constexpr std::size_t kJobs = 200;
    std::vector<std::atomic<int>> runs(kJobs);
    std::mutex mutex;
    std::set<std::size_t> workers_seen;
    std::vector<Job> jobs;
    for (std::size_t i = 0; i < kJobs; ++i)
        jobs.push_back([&, i](std::size_t worker) {
            ++runs[i];
            std::lock_guard lock(mutex);
            workers_seen.insert(worker);
        });
    run_jobs(4, std::move(jobs));
    for (std::size_t i = 0; i < kJobs; ++i) EXPECT_EQ(runs[i].load(), 1) << i;
    for (auto w : workers_seen) EXPECT_LT(w, 4u);
}

TEST(WorkerPool, OneWorkerRunsJobsInTheGivenOrder) {
    std::vector<int> order;
    std::vector<Job> jobs;
    for (int i = 0; i < 10; ++i)
        jobs.push_back([&order, i](std::size_t worker) {
            EXPECT_EQ(worker, 0u);
            order.push_back(i);
        });
    run_jobs(1, std::move(jobs));
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(WorkerPool, FirstFailureStopsTheHandOutAndIsRethrown) {
    std::vector<int> ran;
    std::vector<Job> jobs;
    for (int i = 0; i < 10; ++i)
        jobs.push_back([&ran, i](std::size_t) {
            ran.push_back(i);
            if (i == 3) throw Error(ErrorKind::connection, "job 3 failed");
        });
    try {
        run_jobs(1, std::move(jobs));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::connection);
        EXPECT_EQ(e.message(), "job 3 failed");
    }
    EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3}));  // nothing after the failure started
}

TEST(WorkerPool, AnyExceptionTypeCrossesToTheCallerFromAnotherThread) {
    std::atomic<int> started{0};
    std::vector<Job> jobs;
    for (int i = 0; i < 50; ++i)
        jobs.push_back([&started, i](std::size_t) {
            ++started;
            if (i == 0) throw std::runtime_error("not an Error");
        });
    EXPECT_THROW(run_jobs(3, std::move(jobs)), std::runtime_error);
    EXPECT_GE(started.load(), 1);
    EXPECT_LE(started.load(), 50);
}

TEST(WorkerPool, LargestFirstKeepsTheOrderOfEqualSizes) {
    std::vector<int> order;
    std::vector<SizedJob> jobs;
    const std::uint64_t sizes[] = {10, 300, 0, 300, 20};
    for (int i = 0; i < 5; ++i) jobs.push_back({sizes[i], [&order, i](std::size_t) { order.push_back(i); }});
    run_jobs_largest_first(1, std::move(jobs));
    EXPECT_EQ(order, (std::vector<int>{1, 3, 4, 0, 2}));
}

TEST(WorkerPool, NoJobsAndZeroWorkersAreFine) {
    EXPECT_NO_THROW(run_jobs(0, {}));
    int ran = 0;
    run_jobs(0, {[&ran](std::size_t) { ++ran; }});
    EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace dbclone
