// Runs independent jobs (one table, one chunk) on N worker threads. Each job
// gets the index of the worker running it, so a worker can own a connection.
// The first failure stops the hand-out of new jobs; the error is rethrown in
// the caller after every worker has joined.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace dbclone {

using Job = std::function<void(std::size_t worker)>;

void run_jobs(std::size_t workers, std::vector<Job> jobs);

// A job with its estimated size in bytes.
struct SizedJob {
    std::uint64_t bytes = 0;
    Job job;
};

// Largest first (equal sizes keep their order): the long jobs start early,
// so a run does not end with one worker busy on a big table while the others
// wait. Every parallel row reader (copy, export, import, checksums) uses this.
void run_jobs_largest_first(std::size_t workers, std::vector<SizedJob> jobs);

}  // namespace dbclone
