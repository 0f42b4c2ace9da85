// The run journal: an append-only JSON-lines file recording each finished
// step, table and chunk, fsync'ed as it is written, so that a run killed at
// any point can resume from what it knows is done. Thread-safe.
//
// Line kinds: {"header":{...},"settings":{...}} once at the top (what run this
// is: command, source, target, schema mapping - never secrets; and the
// settings that shape its result, which a resume must keep), {"done":"<key>","detail":{}}
// and {"set":"<key>","value":...} for state a resumed run needs (for example
// the staging schema name).
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/run_lock.h"

namespace dbclone {

class Journal {
public:
    // A journal that lives only in memory (a run that cannot be resumed).
    Journal() = default;

    // Opens path. A new file gets `header` and `settings`; an existing one
    // must carry an equal header (the same run), otherwise Error(usage):
    // resuming another run's journal would skip work that was never done for
    // this one; and equal settings (an object: option name -> value, e.g.
    // "--chunk-size"), otherwise Error(usage) naming each one that differs: a
    // resume with another chunk size or retention would finish a result
    // neither setting describes. An existing journal that records nothing
    // done (a run that stopped before any work, e.g. on a usage error) does
    // not block a new run: it is started afresh.
    // A persistent journal holds the run lock (core/run_lock.h) on
    // "<path>.lock" while it is open: Error(busy) when another process has it.
    // `lock` is that lock when the caller took it earlier (before planning).
    static Journal open(const std::filesystem::path& path, const nlohmann::json& header, bool resume,
                        RunLock lock = {}, const nlohmann::json& settings = nlohmann::json::object());
    static std::filesystem::path lock_path(const std::filesystem::path& journal_path);
    // The settings an existing journal recorded (null when there is none):
    // a resumed run reads what the first attempt pinned (the dump set an
    // import chose) before it plans.
    static nlohmann::json read_settings(const std::filesystem::path& path);

    Journal(Journal&& other) noexcept;
    Journal& operator=(Journal&&) = delete;
    Journal(const Journal&) = delete;
    ~Journal();

    bool persistent() const { return fd_ >= 0; }
    const std::filesystem::path& path() const { return path_; }
    bool resumed() const { return resumed_; }

    bool done(const std::string& key) const;
    std::optional<nlohmann::json> done_detail(const std::string& key) const;
    void mark_done(const std::string& key, const nlohmann::json& detail = nlohmann::json::object());

    std::optional<nlohmann::json> get(const std::string& key) const;
    void set(const std::string& key, const nlohmann::json& value);

    // Forget finished work under a key prefix (a table that must be re-copied).
    void forget_prefix(const std::string& prefix);
    // The finished keys under a prefix ("table:"), sorted.
    std::vector<std::string> done_keys(const std::string& prefix) const;
    // Removes the file (a finished run has nothing to resume).
    void discard();
    // True when nothing but these keys is journaled done (steps that run
    // again on resume anyway) and no state but these keys is set: the run
    // changed nothing anywhere (a usage error or an occupied target found in
    // its first steps), so its journal may go.
    bool records_nothing_but(const std::set<std::string>& state_keys,
                             const std::set<std::string>& done_keys = {}) const;

private:
    void append(const nlohmann::json& line);

    std::filesystem::path path_;
    RunLock lock_;
    int fd_ = -1;
    bool resumed_ = false;
    mutable std::mutex mutex_;
    std::map<std::string, nlohmann::json> done_;
    std::map<std::string, nlohmann::json> state_;
};

}  // namespace dbclone
