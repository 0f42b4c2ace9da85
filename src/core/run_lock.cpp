#include "core/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <string>

#include "core/errno_error.h"
#include "core/error.h"

namespace dbclone {

namespace {
std::string start_time_utc() {
    // The time this process first asked: one process, one start time.
    static const std::string text = [] {
        std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return std::string(buf);
    }();
    return text;
}

std::string read_all(int fd) {
    std::string out;
    char buf[512];
    ssize_t n;
    while ((n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(out.size()))) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    while (!out.empty() && (out.back() == '\n' || out.back() == '\0')) out.pop_back();
    return out;
}

// The file at path is still the one fd has open (not unlinked by a holder
// that finished between our open and our flock).
bool same_file(int fd, const std::filesystem::path& path) {
    struct stat a {};
    struct stat b {};
    return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_ino == b.st_ino &&
           a.st_dev == b.st_dev;
}
}  // namespace

std::string describe_this_process() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '?';
    return "pid " + std::to_string(::getpid()) + " on host " + host + ", started " + start_time_utc();
}

RunLock RunLock::acquire(const std::filesystem::path& lock_file) {
    std::error_code ec;
    std::filesystem::create_directories(lock_file.parent_path(), ec);
    for (;;) {
        int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) throw errno_error("cannot open run lock", lock_file.string());
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            std::string holder = read_all(fd);
            ::close(fd);
            if (err != EWOULDBLOCK) {
                errno = err;
                throw errno_error("cannot lock", lock_file.string());
            }
            throw Error(ErrorKind::busy,
                        "this run is already in progress: " + (holder.empty() ? "another process" : holder),
                        "wait for it to finish, or stop that process; then run the command again (with "
                        "--resume if it did not finish)");
        }
        if (!same_file(fd, lock_file)) {
            ::close(fd);
            continue;
        }
        std::string me = describe_this_process() + "\n";
        if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) < 0) {
            ::close(fd);
            throw errno_error("cannot write run lock", lock_file.string());
        }
        RunLock lock;
        lock.path_ = lock_file;
        lock.fd_ = fd;
        return lock;
    }
}

RunLock::RunLock(RunLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) {
    other.fd_ = -1;
}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        release();
        path_ = std::move(other.path_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

RunLock::~RunLock() {
    release();
}

void RunLock::release() noexcept {
    if (fd_ < 0) return;
    // Unlink while still holding it: a process that opened the old file
    // finds it replaced (same_file) and starts over on a new one.
    ::unlink(path_.c_str());
    ::close(fd_);
    fd_ = -1;
}

}  // namespace dbclone
