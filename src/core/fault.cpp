#include "core/fault.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

namespace dbclone {

namespace {

struct FaultConfig {
    std::string point;     // empty: no fault armed
    long long at_hit = 1;  // act on this pass of the point
    int signal = SIGKILL;  // DBCLONE_FAULT_ACTION: stop -> SIGSTOP, interrupt -> SIGINT
    int trace_fd = -1;     // DBCLONE_FAULT_TRACE, opened once
    std::atomic<long long> hits{0};
};

FaultConfig& config() {
    // Read once: the points are passed from worker threads too.
    static FaultConfig* c = [] {
        auto* cfg = new FaultConfig;
        if (const char* spec = std::getenv("DBCLONE_FAULT"); spec != nullptr && *spec != '\0') {
            std::string s(spec);
            if (auto at = s.rfind('@'); at != std::string::npos) {
                cfg->at_hit = std::atoll(s.c_str() + at + 1);
                s.resize(at);
            }
            cfg->point = s;
        }
        if (const char* action = std::getenv("DBCLONE_FAULT_ACTION"); action != nullptr) {
            const std::string a(action);
            if (a == "stop") cfg->signal = SIGSTOP;
            if (a == "interrupt") cfg->signal = SIGINT;
        }
        if (const char* trace = std::getenv("DBCLONE_FAULT_TRACE"); trace != nullptr && *trace != '\0')
            cfg->trace_fd = ::open(trace, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        return cfg;
    }();
    return *c;
}

}  // namespace

void arm_faults() {
    config();
    const char* after = std::getenv("DBCLONE_FAULT_AFTER_MS");
    if (after == nullptr || *after == '\0') return;
    const long long ms = std::atoll(after);
    std::thread([ms] {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        ::kill(::getpid(), SIGKILL);
    }).detach();
}

void fault_point(std::string_view name) {
    auto& c = config();
    if (c.trace_fd >= 0) {
        std::string line(name);
        line += '\n';
        // One write per line: O_APPEND keeps lines of concurrent workers whole.
        [[maybe_unused]] auto n = ::write(c.trace_fd, line.data(), line.size());
    }
    if (c.point.empty() || (c.point != "*" && name != c.point)) return;
    if (c.hits.fetch_add(1) + 1 == c.at_hit) ::kill(::getpid(), c.signal);
}

}  // namespace dbclone
