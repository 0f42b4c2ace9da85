// Runs a program with an argv vector (never through a shell), feeds it stdin
// and captures stdout and stderr. Used to drive initdb/pg_ctl/psql and, in the
// integration tests, the dbclone binary itself.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dbclone {

struct SubprocessOptions {
    // Environment changes applied to the parent's environment: a value sets the
    // variable, std::nullopt removes it.
    std::map<std::string, std::optional<std::string>> env{};
    // Remove every inherited variable whose name starts with one of these
    // prefixes before `env` is applied (e.g. "PG" so that a user's PGSERVICE
    // cannot redirect a throwaway server's clients).
    std::vector<std::string> drop_env_prefixes{};
    std::optional<std::string> stdin_data{};  // nullopt: stdin is /dev/null
    std::filesystem::path cwd{};              // empty: inherit
    // Run as this OS user (needs root); empty: as ourselves.
    std::string run_as_user{};
    // Kill the child (SIGKILL) after this long; zero: no limit.
    std::chrono::milliseconds timeout{0};
    // Send interrupt_signal once after this long (tests of interrupted runs); zero: never.
    std::chrono::milliseconds interrupt_after{0};
    int interrupt_signal = 2;  // SIGINT
};

struct SubprocessResult {
    int exit_code = -1;  // exit status, or 128+signal when killed by a signal
    bool timed_out = false;
    bool interrupted = false;  // interrupt_signal was sent before the child ended
    long peak_rss_kib = 0;     // the child's largest resident set (wait4's ru_maxrss)
    std::string out;
    std::string err;
};

// Throws Error(io) when the program cannot be started (not found, fork failed).
SubprocessResult run_subprocess(const std::vector<std::string>& argv, const SubprocessOptions& options = {});

// Looks `name` up on $PATH; returns an empty path when it is not there.
std::filesystem::path find_on_path(const std::string& name);

}  // namespace dbclone
