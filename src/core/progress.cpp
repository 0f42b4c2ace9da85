#include "core/progress.h"

#include <fmt/format.h>

#include <cstdio>

#include "core/redact.h"

namespace dbclone {

std::string human_bytes(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

void Progress::print(const std::string& line) {
    if (style_ == Style::quiet) return;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start_).count();
    std::fprintf(stderr, "[%7.1fs] %s\n", elapsed, redact(line).c_str());
}

void Progress::step_started(const std::string& id, const std::string& title, int index, int total) {
    std::lock_guard lock(mutex_);
    step_start_ = std::chrono::steady_clock::now();
    print(fmt::format("step {}/{} {}: {}", index, total, id, title));
}

void Progress::step_skipped(const std::string& id, const std::string& why) {
    std::lock_guard lock(mutex_);
    print(fmt::format("step {} skipped: {}", id, why));
}

void Progress::step_finished(const std::string& id) {
    std::lock_guard lock(mutex_);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - step_start_).count();
    print(fmt::format("step {} done in {:.2f}s", id, secs));
}

void Progress::item_finished(const std::string& what, std::uint64_t rows, std::uint64_t bytes) {
    rows_ += rows;
    bytes_ += bytes;
    std::lock_guard lock(mutex_);
    print(fmt::format("  {}: {} rows, {}", what, rows, human_bytes(bytes)));
}

void Progress::note(const std::string& message) {
    std::lock_guard lock(mutex_);
    print(message);
}

}  // namespace dbclone
