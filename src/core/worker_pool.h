// Runs independent jobs (one table, one chunk) on N worker threads. Each job
// gets the index of the worker running it, so a worker can own a connection.
// The first failure stops the hand-out of new jobs; the error is rethrown in
// the caller after every worker has joined.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace dbclone {

using Job = std::function<void(std::size_t worker)>;

void run_jobs(std::size_t workers, std::vector<Job> jobs);

}  // namespace dbclone
