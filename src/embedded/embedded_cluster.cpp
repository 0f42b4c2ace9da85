#include "embedded/embedded_cluster.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include "core/errno_error.h"
#include "core/error.h"
#include "embedded/pg_binaries.h"
#include "embedded/subprocess.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone {

namespace {

constexpr int kPortFirst = 20000;
constexpr int kPortLast = 60000;
constexpr int kStartAttempts = 8;
constexpr size_t kLogTailBytes = 3000;
constexpr const char* kServerUser = "postgres";  // initdb refuses root; Debian's server user
constexpr const char* kPgCtlWaitSeconds = "120";
constexpr std::chrono::minutes kProgramTimeout{10};
constexpr std::chrono::hours kPsqlTimeout{1};

// Settings that trade durability for speed: these servers are thrown away.
// lc_messages = 'C': a start that fails because another server holds the
// port is told from the server's own words in its log (port_conflict); they
// are kept in one language whatever the machine's locale is.
constexpr std::array<const char*, 15> kSettings{{
    "listen_addresses = ''",
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
    "wal_level = minimal",
    "max_wal_senders = 0",
    "max_wal_size = '1GB'",
    "checkpoint_timeout = '30min'",
    "autovacuum = off",
    "shared_buffers = '64MB'",
    "max_connections = 60",
    "max_locks_per_transaction = 256",
    "logging_collector = off",
    "log_min_messages = warning",
    "lc_messages = 'C'",
}};

std::string trim(std::string s) {
    auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (!s.empty() && is_space(s.back())) s.pop_back();
    size_t start = 0;
    while (start < s.size() && is_space(s[start])) ++start;
    return s.substr(start);
}

void chown_to(const std::filesystem::path& path, const std::string& user) {
    struct passwd* pw = getpwnam(user.c_str());
    if (pw == nullptr)
        throw Error(ErrorKind::io, "OS user \"" + user + "\" does not exist",
                    "install the postgresql package (it creates the user) or run as a non-root user");
    if (chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw errno_error("cannot chown", path.string());
}

// The name goes into file names: keep letters, digits, '-' and '_'.
std::string file_name_part(const std::string& name) {
    std::string out;
    for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' ? c : '_';
    return out.empty() ? "pg" : out;
}

bool port_conflict(const std::string& text) {
    return text.find("could not create lock file") != std::string::npos ||
           text.find("Address already in use") != std::string::npos ||
           text.find("could not bind") != std::string::npos;
}

}  // namespace

std::string conninfo_value(const std::string& value) {
    bool plain = !value.empty();
    for (char c : value)
        if (c == ' ' || c == '\'' || c == '\\' || c == '\t' || c == '\n' || c == '=') plain = false;
    if (plain) return value;
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

EmbeddedCluster::EmbeddedCluster(EmbeddedClusterOptions options) : options_(std::move(options)) {}

std::unique_ptr<EmbeddedCluster> EmbeddedCluster::start(const EmbeddedClusterOptions& options) {
    if (options.dir.empty()) throw Error(ErrorKind::internal, "embedded cluster without a directory");
    std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster(options));
    with_context("starting a local PostgreSQL server in " + options.dir.string(),
                 [&] { cluster->init_and_start(); });
    return cluster;
}

void EmbeddedCluster::init_and_start() {
    bindir_ = options_.bindir.empty() ? find_pg_bindir() : options_.bindir;
    if (access((bindir_ / "initdb").c_str(), X_OK) != 0)
        throw Error(ErrorKind::not_found, "no executable initdb in " + bindir_.string());
    client_bindir_ = access((bindir_ / "psql").c_str(), X_OK) == 0 ? bindir_ : find_pg_bindir();
    if (geteuid() == 0) os_user_ = kServerUser;
    std::error_code ec;
    created_dir_ = !std::filesystem::exists(options_.dir, ec);
    std::filesystem::create_directories(options_.dir, ec);
    if (ec) throw Error(ErrorKind::io, "cannot create " + options_.dir.string() + ": " + ec.message());
    options_.dir = std::filesystem::absolute(options_.dir);
    data_dir_ = options_.dir / "data";
    log_file_ = options_.dir / (file_name_part(options_.name) + ".log");

    // The socket path must stay under the 107-byte limit whatever dir is.
    std::string sock_template = "/tmp/dbclone-" + file_name_part(options_.name).substr(0, 16) + "-XXXXXX";
    if (mkdtemp(sock_template.data()) == nullptr) throw errno_error("cannot create", sock_template);
    socket_dir_ = sock_template;

    if (!os_user_.empty()) {
        chown_to(options_.dir, os_user_);
        chown_to(socket_dir_, os_user_);
        auto probe = run_subprocess({"test", "-w", options_.dir.string(), "-a", "-x", options_.dir.string()},
                                    {.run_as_user = os_user_});
        if (probe.exit_code != 0)
            throw Error(ErrorKind::io, "user " + os_user_ + " cannot write to " + options_.dir.string(),
                        "the PostgreSQL server cannot run as root; choose a work directory "
                        "that user can reach (e.g. under /tmp)");
    }

    std::vector<std::string> initdb{(bindir_ / "initdb").string(), "-D", data_dir_.string(), "-U", superuser_,
                                    "-A", options_.auth_method, "-E", "UTF8", "--locale", "C",
                                    // (no --no-instructions: 12 and 13 lack it; the output is
                                    // only shown when initdb fails)
                                    "--no-sync"};
    auto pwfile = options_.dir / "superuser-password";
    if (!options_.superuser_password.empty()) {
        {
            std::ofstream f(pwfile);
            f << options_.superuser_password << '\n';
            if (!f) throw errno_error("cannot write", pwfile.string());
        }
        chmod(pwfile.c_str(), S_IRUSR | S_IWUSR);
        if (!os_user_.empty()) chown_to(pwfile, os_user_);
        initdb.push_back("--pwfile=" + pwfile.string());
    }
    SubprocessOptions opts{.drop_env_prefixes = {"PG"},
                           .cwd = options_.dir,
                           .run_as_user = os_user_,
                           .timeout = kProgramTimeout};
    auto result = run_subprocess(initdb, opts);
    std::filesystem::remove(pwfile, ec);
    if (result.exit_code != 0)
        throw Error(ErrorKind::io, "initdb failed: " + trim(result.err + "\n" + result.out));
    write_config();

    std::mt19937 rng{std::random_device{}()};
    port_ = std::uniform_int_distribution<int>(kPortFirst, kPortLast)(rng);
    std::string failure;
    for (int attempt = 0; attempt < kStartAttempts; ++attempt, ++port_) {
        if (try_start(failure)) return;
        if (!port_conflict(failure)) break;
    }
    throw Error(ErrorKind::io, "the server did not start: " + failure);
}

void EmbeddedCluster::write_config() {
    auto conf = data_dir_ / "postgresql.conf";
    std::ofstream f(conf, std::ios::app);
    f << "\n# dbclone embedded server\n";
    for (const char* setting : kSettings) f << setting << '\n';
    f << "unix_socket_directories = " << pg::quote_literal(socket_dir_.string()) << '\n';
    if (!f) throw errno_error("cannot write", conf.string());
}

bool EmbeddedCluster::try_start(std::string& failure) {
    std::vector<std::string> args{(bindir_ / "pg_ctl").string(),
                                  "-D",
                                  data_dir_.string(),
                                  "-l",
                                  log_file_.string(),
                                  "-w",
                                  "-t",
                                  kPgCtlWaitSeconds,
                                  "-o",
                                  "-p " + std::to_string(port_),
                                  "start"};
    SubprocessOptions opts{.drop_env_prefixes = {"PG"},
                           .cwd = options_.dir,
                           .run_as_user = os_user_,
                           .timeout = kProgramTimeout};
    auto result = run_subprocess(args, opts);
    if (result.exit_code == 0) {
        running_ = true;
        return true;
    }
    failure = trim(result.err) + "\nserver log " + log_file_.string() + ":\n" + log_tail();
    // pg_ctl may give up waiting while the postmaster still runs.
    run_subprocess({(bindir_ / "pg_ctl").string(), "-D", data_dir_.string(), "-m", "immediate", "-w", "stop"},
                   opts);
    return false;
}

EmbeddedCluster::~EmbeddedCluster() {
    try {
        if (running_) {
            SubprocessOptions opts{.drop_env_prefixes = {"PG"},
                                   .cwd = options_.dir,
                                   .run_as_user = os_user_,
                                   .timeout = kProgramTimeout};
            auto stop = run_subprocess({(bindir_ / "pg_ctl").string(), "-D", data_dir_.string(), "-m", "fast",
                                        "-w", "-t", kPgCtlWaitSeconds, "stop"},
                                       opts);
            if (stop.exit_code != 0)
                run_subprocess({(bindir_ / "pg_ctl").string(), "-D", data_dir_.string(), "-m", "immediate",
                                "-w", "stop"},
                               opts);
        }
    } catch (...) {  // a destructor must not throw; the directories go anyway
    }
    std::error_code ec;
    if (!socket_dir_.empty()) std::filesystem::remove_all(socket_dir_, ec);
    if (options_.keep_on_stop || options_.dir.empty()) return;
    // A directory we did not create may hold the caller's files: remove only ours.
    if (created_dir_) {
        std::filesystem::remove_all(options_.dir, ec);
    } else {
        if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
        if (!log_file_.empty()) std::filesystem::remove(log_file_, ec);
    }
}

std::string EmbeddedCluster::log_tail() const {
    std::ifstream f(log_file_, std::ios::binary);
    if (!f) return "(no server log)";
    std::stringstream ss;
    ss << f.rdbuf();
    std::string all = ss.str();
    if (all.size() > kLogTailBytes) all = "..." + all.substr(all.size() - kLogTailBytes);
    return trim(all);
}

std::string EmbeddedCluster::conninfo(const std::string& dbname) const {
    return "host=" + conninfo_value(socket_dir_.string()) + " port=" + std::to_string(port_) +
           " user=" + conninfo_value(superuser_) + " dbname=" + conninfo_value(dbname);
}

std::string EmbeddedCluster::run_psql(const std::string& dbname, const std::vector<std::string>& extra_args,
                                      const std::string* stdin_data, const std::string& what) {
    std::vector<std::string> args{
        (client_bindir_ / "psql").string(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo(dbname)};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    SubprocessOptions opts{.drop_env_prefixes = {"PG"}, .timeout = kPsqlTimeout};
    opts.env["PGCLIENTENCODING"] = "UTF8";
    if (!options_.superuser_password.empty()) opts.env["PGPASSWORD"] = options_.superuser_password;
    if (stdin_data != nullptr) opts.stdin_data = *stdin_data;
    auto result = run_subprocess(args, opts);
    if (result.exit_code != 0 || result.timed_out)
        throw Error(ErrorKind::sql, what + " in database " + pg::quote_ident(dbname) + " on " +
                                        socket_dir_.string() + ":" + std::to_string(port_) +
                                        " failed: " + trim(result.err));
    return result.out;
}

void EmbeddedCluster::create_database(const std::string& name) {
    run_sql("postgres", "CREATE DATABASE " + pg::quote_ident(name));
}

void EmbeddedCluster::run_sql(const std::string& dbname, const std::string& sql) {
    run_psql(dbname, {"-f", "-"}, &sql, "running SQL");
}

void EmbeddedCluster::run_sql_file(const std::string& dbname, const std::filesystem::path& file) {
    if (!std::filesystem::exists(file))
        throw Error(ErrorKind::io, "SQL file " + file.string() + " does not exist");
    run_psql(dbname, {"-f", file.string()}, nullptr, "running " + file.string());
}

std::string EmbeddedCluster::query_value(const std::string& dbname, const std::string& sql) {
    return trim(run_psql(dbname, {"-A", "-t", "-f", "-"}, &sql, "querying"));
}

}  // namespace dbclone
