// Progress of a run, reported to stderr: which step is running and, for data
// steps, rows and bytes per table with a throughput. Thread-safe; workers
// report, one reporter prints at most once a second (or on every event with
// --progress=lines, which tests and logs prefer).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace dbclone {

class Progress {
public:
    enum class Style { quiet, lines };
    explicit Progress(Style style = Style::lines) : style_(style) {}

    void step_started(const std::string& id, const std::string& title, int index, int total);
    void step_skipped(const std::string& id, const std::string& why);
    void step_finished(const std::string& id);
    void item_finished(const std::string& what, std::uint64_t rows, std::uint64_t bytes);
    void note(const std::string& message);

    std::uint64_t total_rows() const { return rows_.load(); }
    std::uint64_t total_bytes() const { return bytes_.load(); }

private:
    void print(const std::string& line);

    Style style_;
    std::mutex mutex_;
    std::atomic<std::uint64_t> rows_{0};
    std::atomic<std::uint64_t> bytes_{0};
    std::chrono::steady_clock::time_point step_start_{};
    std::chrono::steady_clock::time_point run_start_ = std::chrono::steady_clock::now();
};

std::string human_bytes(std::uint64_t bytes);

}  // namespace dbclone
