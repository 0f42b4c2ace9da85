#include "core/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "core/errno_error.h"
#include "core/error.h"
#include "core/fault.h"

namespace dbclone {

namespace {
Error io_error(const std::string& what, const std::filesystem::path& path) {
    return errno_error(what, path.string());
}
}  // namespace

std::filesystem::path Journal::lock_path(const std::filesystem::path& journal_path) {
    return journal_path.string() + ".lock";
}

Journal Journal::open(const std::filesystem::path& path, const nlohmann::json& header, bool resume,
                      RunLock lock) {
    Journal j;
    j.path_ = path;
    // Before the journal is read: a second process must not resume a run
    // that is still going (both would load the same rows).
    j.lock_ = lock.held() ? std::move(lock) : RunLock::acquire(lock_path(path));
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    if (exists && !resume)
        throw Error(ErrorKind::usage, "a journal for this run already exists at " + path.string(),
                    "pass --resume to continue it, or remove the file to start over");
    if (exists) {
        std::ifstream in(path);
        std::string line;
        bool first = true;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            nlohmann::json parsed;
            try {
                parsed = nlohmann::json::parse(line);
            } catch (const nlohmann::json::exception&) {
                // A torn last line from a crash mid-write: everything before it is valid.
                break;
            }
            if (first) {
                first = false;
                if (!parsed.contains("header") || parsed["header"] != header)
                    throw Error(ErrorKind::usage, "journal " + path.string() + " belongs to a different run",
                                "use the same command, source, target and schemas to resume, or remove it");
                continue;
            }
            if (parsed.contains("done"))
                j.done_[parsed["done"].get<std::string>()] = parsed.value("detail", nlohmann::json::object());
            if (parsed.contains("set")) j.state_[parsed["set"].get<std::string>()] = parsed["value"];
            if (parsed.contains("forget")) {
                auto prefix = parsed["forget"].get<std::string>();
                for (auto it = j.done_.begin(); it != j.done_.end();)
                    it = it->first.rfind(prefix, 0) == 0 ? j.done_.erase(it) : std::next(it);
            }
        }
        j.resumed_ = true;
    } else {
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    j.fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (j.fd_ < 0) throw io_error("cannot open journal", path);
    if (!exists) j.append({{"header", header}});
    return j;
}

Journal::Journal(Journal&& other) noexcept
    : path_(std::move(other.path_)),
      lock_(std::move(other.lock_)),
      fd_(other.fd_),
      resumed_(other.resumed_),
      done_(std::move(other.done_)),
      state_(std::move(other.state_)) {
    other.fd_ = -1;
}

Journal::~Journal() {
    if (fd_ >= 0) ::close(fd_);
}

bool Journal::done(const std::string& key) const {
    std::lock_guard lock(mutex_);
    return done_.count(key) > 0;
}

std::optional<nlohmann::json> Journal::done_detail(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto it = done_.find(key);
    if (it == done_.end()) return std::nullopt;
    return it->second;
}

void Journal::mark_done(const std::string& key, const nlohmann::json& detail) {
    // Whatever this records has committed (or is about to be tried): the
    // window a crash must not turn into a run that cannot go on.
    fault_point("journal:before-done");
    std::lock_guard lock(mutex_);
    done_[key] = detail;
    append({{"done", key}, {"detail", detail}});
}

std::optional<nlohmann::json> Journal::get(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto it = state_.find(key);
    if (it == state_.end()) return std::nullopt;
    return it->second;
}

void Journal::set(const std::string& key, const nlohmann::json& value) {
    std::lock_guard lock(mutex_);
    state_[key] = value;
    append({{"set", key}, {"value", value}});
}

void Journal::forget_prefix(const std::string& prefix) {
    std::lock_guard lock(mutex_);
    for (auto it = done_.begin(); it != done_.end();)
        it = it->first.rfind(prefix, 0) == 0 ? done_.erase(it) : std::next(it);
    append({{"forget", prefix}});
}

// Caller holds mutex_ (or is the constructor).
void Journal::append(const nlohmann::json& line) {
    if (fd_ < 0) return;
    std::string text = line.dump() + "\n";
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd_, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw io_error("cannot write journal", path_);
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    if (::fdatasync(fd_) != 0) throw io_error("cannot sync journal", path_);
}

}  // namespace dbclone
