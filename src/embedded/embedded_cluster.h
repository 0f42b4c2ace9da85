// A throwaway local PostgreSQL server: initdb into a work directory, started
// with pg_ctl on a private unix socket, stopped and removed on destruction.
// The CLI's embedded default and the integration tests get their servers here.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace dbclone {

struct EmbeddedClusterOptions {
    std::filesystem::path dir{};  // created; holds data/ and the server log
    std::string name = "pg";      // names the log file and the socket directory
    bool keep_on_stop = false;    // leave dir behind (for a failed test's post-mortem)
    // Client authentication for every connection: "trust", or "scram-sha-256"
    // together with superuser_password (for tests of password handling).
    std::string auth_method = "trust";
    std::string superuser_password{};
    // Server programs (initdb, pg_ctl, postgres) from this directory instead
    // of the installed PostgreSQL: another release, e.g. a test peer. psql
    // comes from here when it has one, else from the installed client.
    std::filesystem::path bindir{};
};

class EmbeddedCluster {
public:
    // Throws Error (with the tail of the server log) when the server cannot start.
    static std::unique_ptr<EmbeddedCluster> start(const EmbeddedClusterOptions& options);
    // pg_ctl stop -m fast; removes dir unless keep_on_stop (only data/ and the
    // log when dir existed before start()).
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster&) = delete;
    EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

    // "host=<socketdir> port=<p> user=<superuser> dbname=<db>" (no password).
    std::string conninfo(const std::string& dbname = "postgres") const;
    void create_database(const std::string& name);
    void run_sql(const std::string& dbname, const std::string& sql);
    void run_sql_file(const std::string& dbname, const std::filesystem::path& file);
    // First column(s) of the result as psql -At prints them, trimmed.
    std::string query_value(const std::string& dbname, const std::string& sql);

    int port() const { return port_; }
    const std::filesystem::path& socket_dir() const { return socket_dir_; }
    const std::filesystem::path& dir() const { return options_.dir; }
    const std::filesystem::path& log_file() const { return log_file_; }
    const std::string& superuser() const { return superuser_; }
    // Decide late whether to leave the directory behind (a test that failed).
    void set_keep_on_stop(bool keep) { options_.keep_on_stop = keep; }

private:
    explicit EmbeddedCluster(EmbeddedClusterOptions options);
    void init_and_start();
    bool try_start(std::string& failure);
    void write_config();
    std::string run_psql(const std::string& dbname, const std::vector<std::string>& extra_args,
                         const std::string* stdin_data, const std::string& what);
    std::string log_tail() const;

    EmbeddedClusterOptions options_;
    std::filesystem::path bindir_;
    std::filesystem::path client_bindir_;  // psql
    std::filesystem::path data_dir_;
    std::filesystem::path log_file_;
    std::filesystem::path socket_dir_;
    std::string superuser_ = "postgres";
    std::string os_user_;  // run the server programs as this user (we are root)
    int port_ = 0;
    bool running_ = false;
    bool created_dir_ = false;  // start() made options_.dir, so the destructor may remove it whole
};

// Quotes a libpq keyword/value when it needs it: 'it\'s here'.
std::string conninfo_value(const std::string& value);

}  // namespace dbclone
