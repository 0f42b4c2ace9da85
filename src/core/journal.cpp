#include "core/journal.h"

#include <fcntl.h>
#include <fmt/format.h>
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

namespace {

struct JournalFile {
    nlohmann::json first;  // the header line
    std::vector<nlohmann::json> records;
};

// Every whole line of the file; a torn last line from a crash mid-write is
// dropped (everything before it is valid).
JournalFile read_journal_file(const std::filesystem::path& path) {
    JournalFile out;
    std::ifstream in(path);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        nlohmann::json parsed;
        try {
            parsed = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception&) {
            break;
        }
        if (first)
            out.first = std::move(parsed);
        else
            out.records.push_back(std::move(parsed));
        first = false;
    }
    return out;
}

std::string setting_text(const nlohmann::json& value) {
    if (value.is_null()) return "(not given)";
    return value.is_string() ? value.get<std::string>() : value.dump();
}

void expect_same_settings(const std::filesystem::path& path, const nlohmann::json& saved,
                          const nlohmann::json& settings) {
    if (!saved.is_object() || saved == settings) return;
    std::string differences, earlier;
    for (const auto& [name, value] : settings.items()) {
        auto was = saved.contains(name) ? saved.at(name) : nlohmann::json();
        if (was == value) continue;
        differences += fmt::format("{}{} {} (the interrupted run: {})", differences.empty() ? "" : ", ", name,
                                   setting_text(value), setting_text(was));
        earlier += fmt::format(" {} {}", name, setting_text(was));
    }
    for (const auto& [name, was] : saved.items())
        if (!settings.contains(name)) {
            differences += fmt::format("{}{} not given (the interrupted run: {})",
                                       differences.empty() ? "" : ", ", name, setting_text(was));
            earlier += fmt::format(" {} {}", name, setting_text(was));
        }
    throw Error(ErrorKind::usage,
                "the run in journal " + path.string() + " used other settings: " + differences,
                "resume with the settings it started with (" + (earlier.empty() ? "" : earlier.substr(1)) +
                    "), or remove the journal to start over with the new ones");
}

}  // namespace

nlohmann::json Journal::read_settings(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return nullptr;
    auto file = read_journal_file(path);
    return file.first.is_object() && file.first.contains("settings") ? file.first["settings"]
                                                                     : nlohmann::json();
}

Journal Journal::open(const std::filesystem::path& path, const nlohmann::json& header, bool resume,
                      RunLock lock, const nlohmann::json& settings) {
    Journal j;
    j.path_ = path;
    // Before the journal is read: a second process must not resume a run
    // that is still going (both would load the same rows).
    j.lock_ = lock.held() ? std::move(lock) : RunLock::acquire(lock_path(path));
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    JournalFile file;
    if (exists) {
        file = read_journal_file(path);
        // Nothing was done under it: there is nothing to resume or protect.
        bool any_record = false;
        for (const auto& r : file.records) any_record = any_record || r.contains("done") || r.contains("set");
        if (!any_record) {
            std::filesystem::remove(path, ec);
            exists = false;
        }
    }
    if (exists && !resume)
        throw Error(ErrorKind::usage, "a journal for this run already exists at " + path.string(),
                    "pass --resume to continue it, or remove the file to start over");
    if (exists) {
        if (!file.first.contains("header") || file.first["header"] != header)
            throw Error(ErrorKind::usage, "journal " + path.string() + " belongs to a different run",
                        "use the same command, source, target and schemas to resume, or remove it");
        expect_same_settings(path, file.first.value("settings", nlohmann::json()), settings);
        for (const auto& parsed : file.records) {
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
    if (!exists) j.append({{"header", header}, {"settings", settings}});
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

std::vector<std::string> Journal::done_keys(const std::string& prefix) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto it = done_.lower_bound(prefix); it != done_.end() && it->first.rfind(prefix, 0) == 0; ++it)
        out.push_back(it->first);
    return out;
}

bool Journal::records_nothing_but(const std::set<std::string>& state_keys,
                                  const std::set<std::string>& done_keys) const {
    std::lock_guard lock(mutex_);
    for (const auto& [key, detail] : done_)
        if (!done_keys.count(key)) return false;
    for (const auto& [key, value] : state_)
        if (!state_keys.count(key)) return false;
    return true;
}

void Journal::discard() {
    std::lock_guard lock(mutex_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
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
