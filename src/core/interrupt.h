// SIGINT/SIGTERM set a flag; long loops call check_interrupted() between units
// of work, so an interrupted run stops at a point the journal can resume from.
#pragma once

#include <atomic>

namespace dbclone {

void install_interrupt_handlers();
bool interrupted();
void check_interrupted();  // throws Error(interrupted) once a signal arrived
void request_interrupt();  // for tests and for a worker that failed

// Whether work on this thread should stop now: a signal arrived, or another
// job of the worker pool running this thread failed (core/worker_pool.h).
// A statement waiting on a server is cancelled when this turns true.
bool stop_requested();

// While alive, stop_requested() on this thread also reads `failed` (the
// pool's "a job failed" flag). Nests: the previous flag comes back after.
class StopScope {
public:
    explicit StopScope(const std::atomic<bool>* failed);
    ~StopScope();
    StopScope(const StopScope&) = delete;
    StopScope& operator=(const StopScope&) = delete;

private:
    const std::atomic<bool>* previous_;
};

}  // namespace dbclone
