#include "embedded/subprocess.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/errno_error.h"
#include "core/error.h"

extern char** environ;

namespace dbclone {

namespace {

constexpr size_t kReadBlock = 65536;
constexpr int kExecFailedStatus = 127;
constexpr int kSignalBase = 128;

// A pipe whose ends close themselves.
struct Pipe {
    int read_fd = -1;
    int write_fd = -1;
    Pipe() {
        std::array<int, 2> fds{};
        if (pipe2(fds.data(), O_CLOEXEC) != 0) throw errno_error("cannot create", "a pipe");
        read_fd = fds[0];
        write_fd = fds[1];
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_read() {
        if (read_fd >= 0) ::close(read_fd);
        read_fd = -1;
    }
    void close_write() {
        if (write_fd >= 0) ::close(write_fd);
        write_fd = -1;
    }
};

std::vector<std::string> build_environment(const SubprocessOptions& options) {
    std::map<std::string, std::string> vars;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq == std::string::npos) continue;
        std::string name = entry.substr(0, eq);
        bool dropped = false;
        for (const auto& prefix : options.drop_env_prefixes)
            if (name.rfind(prefix, 0) == 0) dropped = true;
        if (!dropped) vars[name] = entry.substr(eq + 1);
    }
    for (const auto& [name, value] : options.env) {
        if (value)
            vars[name] = *value;
        else
            vars.erase(name);
    }
    std::vector<std::string> out;
    out.reserve(vars.size());
    for (const auto& [name, value] : vars) out.push_back(std::string(name).append("=").append(value));
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

struct UserIds {
    uid_t uid;
    gid_t gid;
};

UserIds lookup_user(const std::string& user) {
    struct passwd* pw = getpwnam(user.c_str());
    if (pw == nullptr)
        throw Error(ErrorKind::io, "OS user \"" + user + "\" does not exist",
                    "create it (the postgresql package does) or run as a non-root user");
    return {pw->pw_uid, pw->pw_gid};
}

// Only async-signal-safe calls between fork and exec: the caller may have threads.
[[noreturn]] void exec_child(const char* program, char* const* argv, char* const* envp, int stdin_fd,
                             int stdout_fd, int stderr_fd, const char* cwd, const UserIds* ids) {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, nullptr);
    if (dup2(stdin_fd, STDIN_FILENO) < 0 || dup2(stdout_fd, STDOUT_FILENO) < 0 ||
        dup2(stderr_fd, STDERR_FILENO) < 0)
        _exit(kExecFailedStatus);
    if (ids != nullptr) {
        if (setgroups(0, nullptr) != 0 || setgid(ids->gid) != 0 || setuid(ids->uid) != 0)
            _exit(kExecFailedStatus);
    }
    if (cwd != nullptr && chdir(cwd) != 0) _exit(kExecFailedStatus);
    execve(program, argv, envp);
    _exit(kExecFailedStatus);
}

// Writing to a child that exited must give EPIPE, not kill us.
void ignore_sigpipe_once() {
    static const bool done = [] {
        struct sigaction current {};
        sigaction(SIGPIPE, nullptr, &current);
        if (current.sa_handler == SIG_DFL) {
            struct sigaction ign {};
            ign.sa_handler = SIG_IGN;
            sigaction(SIGPIPE, &ign, nullptr);
        }
        return true;
    }();
    (void)done;
}

// When to send the child a signal (interrupt tests) and when to give up on it.
struct Schedule {
    pid_t pid;
    bool has_deadline;
    std::chrono::steady_clock::time_point deadline;
    bool has_interrupt;
    std::chrono::steady_clock::time_point interrupt_at;
    int interrupt_signal;
};

// Milliseconds until t, at least 0, for poll().
int ms_until(std::chrono::steady_clock::time_point t) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t - std::chrono::steady_clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Moves data between us and the child until both output pipes reach EOF.
// Returns false when the deadline passed first.
bool pump(Pipe& in, Pipe& out, Pipe& err, const std::string* stdin_data, SubprocessResult& result,
          Schedule& schedule) {
    size_t written = 0;
    if (stdin_data == nullptr || stdin_data->empty()) in.close_write();
    if (in.write_fd >= 0) fcntl(in.write_fd, F_SETFL, O_NONBLOCK);
    std::array<char, kReadBlock> buf{};
    while (out.read_fd >= 0 || err.read_fd >= 0) {
        std::array<pollfd, 3> fds{};
        nfds_t n = 0;
        int idx_out = -1;
        int idx_err = -1;
        int idx_in = -1;
        if (out.read_fd >= 0) {
            idx_out = static_cast<int>(n);
            fds[n++] = {out.read_fd, POLLIN, 0};
        }
        if (err.read_fd >= 0) {
            idx_err = static_cast<int>(n);
            fds[n++] = {err.read_fd, POLLIN, 0};
        }
        if (in.write_fd >= 0) {
            idx_in = static_cast<int>(n);
            fds[n++] = {in.write_fd, POLLOUT, 0};
        }
        int wait_ms = -1;
        if (schedule.has_interrupt) {
            if (std::chrono::steady_clock::now() >= schedule.interrupt_at) {
                kill(schedule.pid, schedule.interrupt_signal);
                result.interrupted = true;
                schedule.has_interrupt = false;
            } else {
                wait_ms = ms_until(schedule.interrupt_at);
            }
        }
        if (schedule.has_deadline) {
            if (std::chrono::steady_clock::now() >= schedule.deadline) return false;
            int left = ms_until(schedule.deadline);
            wait_ms = wait_ms < 0 ? left : std::min(wait_ms, left);
        }
        int rc = poll(fds.data(), n, wait_ms);
        if (rc < 0) {
            if (errno == EINTR) continue;
            throw errno_error("cannot poll", "a child process's pipes");
        }
        if (rc == 0) continue;
        auto drain = [&](int idx, Pipe& p, std::string& sink) {
            if (idx < 0 || fds[static_cast<size_t>(idx)].revents == 0) return;
            ssize_t got = read(p.read_fd, buf.data(), buf.size());
            if (got > 0)
                sink.append(buf.data(), static_cast<size_t>(got));
            else if (got == 0 || errno != EINTR)
                p.close_read();
        };
        drain(idx_out, out, result.out);
        drain(idx_err, err, result.err);
        if (idx_in >= 0 && fds[static_cast<size_t>(idx_in)].revents != 0) {
            ssize_t put = write(in.write_fd, stdin_data->data() + written, stdin_data->size() - written);
            if (put > 0) written += static_cast<size_t>(put);
            if ((put < 0 && errno != EAGAIN && errno != EINTR) || written == stdin_data->size())
                in.close_write();
        }
    }
    return true;
}

}  // namespace

std::filesystem::path find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::filesystem::path dir = dirs.substr(start, end - start);
        if (dir.empty()) dir = ".";
        auto candidate = dir / name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    return {};
}

SubprocessResult run_subprocess(const std::vector<std::string>& argv, const SubprocessOptions& options) {
    if (argv.empty()) throw Error(ErrorKind::internal, "run_subprocess called without a program");
    std::filesystem::path program = argv[0];
    if (argv[0].find('/') == std::string::npos) program = find_on_path(argv[0]);
    if (program.empty() || access(program.c_str(), X_OK) != 0)
        throw Error(ErrorKind::io, "cannot run " + argv[0] + ": program not found or not executable");

    std::optional<UserIds> ids;
    if (!options.run_as_user.empty()) ids = lookup_user(options.run_as_user);

    std::vector<std::string> args = argv;
    std::vector<std::string> env = build_environment(options);
    std::vector<char*> c_args = c_strings(args);
    std::vector<char*> c_env = c_strings(env);
    std::string cwd = options.cwd.string();
    std::string program_str = program.string();

    ignore_sigpipe_once();
    Pipe in;
    Pipe out;
    Pipe err;
    pid_t pid = fork();
    if (pid < 0) throw errno_error("cannot start", argv[0]);
    if (pid == 0)
        exec_child(program_str.c_str(), c_args.data(), c_env.data(), in.read_fd, out.write_fd, err.write_fd,
                   cwd.empty() ? nullptr : cwd.c_str(), ids ? &*ids : nullptr);
    in.close_read();
    out.close_write();
    err.close_write();

    SubprocessResult result;
    auto now = std::chrono::steady_clock::now();
    Schedule schedule{pid,
                      options.timeout.count() > 0,
                      now + options.timeout,
                      options.interrupt_after.count() > 0,
                      now + options.interrupt_after,
                      options.interrupt_signal};
    bool finished = false;
    try {
        finished = pump(in, out, err, options.stdin_data ? &*options.stdin_data : nullptr, result, schedule);
    } catch (...) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        throw;
    }
    if (!finished) {
        result.timed_out = true;
        kill(pid, SIGKILL);
    }
    int status = 0;
    struct rusage usage {};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) throw errno_error("cannot wait for", argv[0]);
    }
    result.peak_rss_kib = usage.ru_maxrss;
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.exit_code = kSignalBase + WTERMSIG(status);
    return result;
}

}  // namespace dbclone
