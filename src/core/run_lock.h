// One process per run: an exclusive flock(2) on "<journal>.lock", taken
// before the journal is read. A second process is refused at once (no
// waiting) with the holder named - pid, host and start time, which the
// holder writes into the lock file. The kernel drops the lock when the
// holder dies, so a killed run never blocks its --resume.
#pragma once

#include <filesystem>
#include <string>

namespace dbclone {

class RunLock {
public:
    RunLock() = default;
    // Error(busy) naming the holder when another process holds it.
    static RunLock acquire(const std::filesystem::path& lock_file);

    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    bool held() const { return fd_ >= 0; }
    // Removes the lock file, then releases the lock.
    ~RunLock();

private:
    void release() noexcept;
    std::filesystem::path path_;
    int fd_ = -1;
};

// "pid 1234 on host db7, started 2026-12-02T07:31:05Z": who this process is.
std::string describe_this_process();

}  // namespace dbclone
