#include "core/interrupt.h"

#include <atomic>
#include <csignal>

#include "core/error.h"

namespace dbclone {

namespace {
std::atomic<bool> g_interrupted{false};
thread_local const std::atomic<bool>* t_pool_failed = nullptr;
extern "C" void on_signal(int) {
    g_interrupted.store(true);
}
}  // namespace

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    // A closed pipe to a store or a server must be an error, not a silent exit.
    signal(SIGPIPE, SIG_IGN);
    // Likewise a file-size limit (ulimit -f): the write fails with EFBIG and
    // is reported like a full disk, instead of killing the process.
    signal(SIGXFSZ, SIG_IGN);
}

bool interrupted() {
    return g_interrupted.load();
}

bool stop_requested() {
    return g_interrupted.load() || (t_pool_failed != nullptr && t_pool_failed->load());
}

StopScope::StopScope(const std::atomic<bool>* failed) : previous_(t_pool_failed) {
    t_pool_failed = failed;
}

StopScope::~StopScope() {
    t_pool_failed = previous_;
}

void request_interrupt() {
    g_interrupted.store(true);
}

void check_interrupted() {
    if (g_interrupted.load())
        throw Error(ErrorKind::interrupted, "interrupted by a signal",
                    "run the same command again with --resume to continue");
}

}  // namespace dbclone
