// A libpq connection with the session settings dbclone relies on, typed
// errors ([source pid N] in their context) and COPY helpers. One connection is
// used by one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dbclone::pg {

// A query result: rows of nullable text values. Small catalog results only;
// table data never goes through here (COPY does).
class Result {
public:
    explicit Result(PGresult* res) : res_(res, &PQclear) {}
    int rows() const { return PQntuples(res_.get()); }
    int columns() const { return PQnfields(res_.get()); }
    bool is_null(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }
    std::string get(int row, int col) const { return PQgetvalue(res_.get(), row, col); }
    std::string get(int row, const char* column) const;
    std::optional<std::string> get_opt(int row, const char* column) const;
    bool get_bool(int row, const char* column) const { return get(row, column) == "t"; }
    long long get_int(int row, const char* column) const { return std::stoll(get(row, column)); }
    int column_index(const char* column) const;

private:
    std::unique_ptr<PGresult, decltype(&PQclear)> res_;
};

class Connection {
public:
    // role is "source" or "target": it names the side in every error.
    Connection(const std::string& conninfo, std::string role);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Statements without results (or whose results are not needed).
    void exec(const std::string& sql);
    Result query(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});

    // COPY ... TO STDOUT: calls on_row once per row (text format, with the
    // trailing newline). Returns the number of rows.
    std::uint64_t copy_out(const std::string& copy_sql,
                           const std::function<void(const char*, std::size_t)>& on_row);

    // COPY ... FROM STDIN: the feeder calls put() with data until it returns;
    // an exception from it aborts the COPY (the transaction then fails).
    class CopyIn {
    public:
        explicit CopyIn(Connection& c) : conn_(c) {}
        void put(const char* data, std::size_t n);
        void flush();

    private:
        // Rows are batched: one PQputCopyData per row costs more than the row.
        static constexpr std::size_t kBatchBytes = 256 * 1024;
        Connection& conn_;
        std::string batch_;
    };
    std::uint64_t copy_in(const std::string& copy_sql, const std::function<void(CopyIn&)>& feeder);

    // ROLLBACK that never throws: for cleaning up after another error.
    void rollback_quietly() noexcept;

    // Behind a transaction-mode pooler (pgbouncer, Supavisor, RDS Proxy)
    // consecutive transactions may run in different server sessions, so a
    // session setting is lost (or leaks to another client). Detected at
    // connect: the server's pg_backend_pid() is not the pid this connection
    // was handed. Then every statement runs in a transaction that starts
    // with this connection's settings as SET LOCAL: a statement outside
    // BEGIN/COMMIT is wrapped in one of its own.
    bool pooled() const { return pooled_; }
    // A setting for every later statement: SET for the session, and (pooled)
    // SET LOCAL at the start of every transaction. value is SQL ('x', on, ...).
    void set(const std::string& name, const std::string& value);

    int server_version() const { return PQserverVersion(conn_); }
    // The server process this connection was handed at connect; kept, as
    // libpq says 0 once the connection is lost, when an error names it.
    int backend_pid() const { return backend_pid_; }
    // Whether the server runs on this machine: reached through a Unix-domain
    // socket or a loopback address (it then shares this machine's cores).
    // Only the address connected to counts: a pooler on loopback counts as
    // here whatever server it forwards to, and this machine reached through
    // another of its addresses counts as elsewhere.
    bool on_this_machine() const;
    // Inside BEGIN ... COMMIT (or a failed transaction): PQtransactionStatus.
    bool in_transaction_block() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
    const std::string& role() const { return role_; }
    std::string label() const;  // "source pid 1234"
    std::string server_version_string();
    std::string current_database();

private:
    [[noreturn]] void fail(const std::string& doing, PGresult* res = nullptr);
    void raw_exec(const std::string& sql);
    // Pooled and outside a transaction: runs fn in one that has the settings.
    template <typename Fn>
    auto in_own_transaction(Fn&& fn) -> decltype(fn());
    bool needs_own_transaction(const std::string& sql) const;
    // Sends and waits, cancellable (libpq/cancellable.h); remembers whether
    // a cancel went out, so fail() reports a stop rather than an SQL error.
    PGresult* run(const std::function<int(PGconn*)>& send);
    PGconn* conn_ = nullptr;
    bool cancelled_ = false;
    std::string role_;
    bool pooled_ = false;
    int backend_pid_ = 0;
    std::string local_settings_;  // "SET LOCAL ...; ..." run after each BEGIN when pooled
};

// Runs fn between BEGIN (or `begin`: BEGIN ISOLATION LEVEL ...) and COMMIT;
// an exception from fn (or from COMMIT) rolls the transaction back and
// propagates.
template <typename Fn>
void in_transaction(Connection& conn, Fn&& fn, const char* begin = "BEGIN") {
    conn.exec(begin);
    try {
        fn();
        conn.exec("COMMIT");
    } catch (...) {
        conn.rollback_quietly();
        throw;
    }
}

// Settings applied to every session so that text forms of values are exact
// and identical on both sides (COPY text, checksums, verify).
extern const char* const kSessionSettings;

}  // namespace dbclone::pg
