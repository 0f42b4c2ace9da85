#include "core/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/interrupt.h"

namespace dbclone {

void run_jobs(std::size_t workers, std::vector<Job> jobs) {
    if (workers == 0) workers = 1;
    if (workers > jobs.size()) workers = jobs.empty() ? 1 : jobs.size();
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;

    auto worker = [&](std::size_t id) {
        // A statement another job is waiting on is cancelled once one fails.
        StopScope stop_scope(&failed);
        while (!failed.load()) {
            std::size_t i = next.fetch_add(1);
            if (i >= jobs.size()) return;
            try {
                check_interrupted();
                jobs[i](id);
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
                failed.store(true);
            }
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(worker, w);
    worker(0);
    for (auto& t : threads) t.join();
    if (first_error) std::rethrow_exception(first_error);
}

void run_jobs_largest_first(std::size_t workers, std::vector<SizedJob> jobs) {
    std::stable_sort(jobs.begin(), jobs.end(),
                     [](const SizedJob& a, const SizedJob& b) { return a.bytes > b.bytes; });
    std::vector<Job> ordered;
    ordered.reserve(jobs.size());
    for (auto& j : jobs) ordered.push_back(std::move(j.job));
    run_jobs(workers, std::move(ordered));
}

}  // namespace dbclone
