#include "engine/postgres/libpq/connection.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/redact.h"
#include "engine/postgres/libpq/cancellable.h"
#include "engine/postgres/libpq/conninfo_secrets.h"
#include "engine/postgres/libpq/session_options.h"
#include "engine/postgres/libpq/sqlstate.h"

namespace dbclone::pg {

const char* const kSessionSettings =
    "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; SET DateStyle = 'ISO, YMD'; "
    "SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; SET extra_float_digits = 3; "
    "SET bytea_output = 'hex'; SET xmloption = content; SET lock_timeout = 0; "
    "SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; SET row_security = off; "
    "SET client_min_messages = warning";

namespace {
// A statement as an error names it: its start (the error already says which
// table or step; a COPY of a table with large values runs to kilobytes).
std::string in_error(const std::string& sql) {
    constexpr std::size_t kShown = 200;
    return sql.size() <= kShown ? sql : sql.substr(0, kShown) + " ...";
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// PQconnectdbParams with verbose error fields, so that a server's refusal
// carries its SQLSTATE ("database does not exist" is 3D000 in any language).
// The verbosity is a connection setting, set between start and poll.
PGconn* connect_verbose(const char* const* keys, const char* const* values) {
    PGconn* conn = PQconnectStartParams(keys, values, 1);
    if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) return conn;
    PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
    // connect_timeout as libpq's own blocking connect honours it (whole attempt).
    int timeout_s = 0;
    if (PQconninfoOption* opts = PQconninfo(conn)) {
        for (auto* o = opts; o->keyword; ++o)
            if (o->val && std::strcmp(o->keyword, "connect_timeout") == 0) timeout_s = std::atoi(o->val);
        PQconninfoFree(opts);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    PostgresPollingStatusType poll_status = PGRES_POLLING_WRITING;
    while (poll_status != PGRES_POLLING_OK && poll_status != PGRES_POLLING_FAILED) {
        pollfd pfd{PQsocket(conn),
                   static_cast<short>(poll_status == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
        int wait_ms = -1;
        if (timeout_s > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;  // PQstatus stays not OK: reported as a connection failure
            wait_ms = static_cast<int>(left.count());
        }
        if (pfd.fd >= 0 && ::poll(&pfd, 1, wait_ms) < 0 && errno != EINTR) break;
        poll_status = PQconnectPoll(conn);
    }
    return conn;
}

// A verbose message "...FATAL:  3D000: database ... \nLOCATION:  ..." back to
// the default form; the code goes to `code_out`.
std::string without_verbose_fields(std::string message, std::string& code_out) {
    for (std::size_t at = message.find(":  "); at != std::string::npos; at = message.find(":  ", at + 1)) {
        const auto code = at + 3;
        if (code + 7 > message.size() || message.compare(code + 5, 2, ": ") != 0) continue;
        bool ok = true;
        for (std::size_t i = code; i < code + 5; ++i)
            ok = ok && (std::isdigit(static_cast<unsigned char>(message[i])) ||
                        std::isupper(static_cast<unsigned char>(message[i])));
        if (!ok) continue;
        code_out = message.substr(code, 5);
        message.erase(code, 7);
        break;
    }
    for (auto loc = message.find("\nLOCATION:"); loc != std::string::npos;
         loc = message.find("\nLOCATION:")) {
        auto end = message.find('\n', loc + 1);
        message.erase(loc, end == std::string::npos ? std::string::npos : end - loc);
    }
    return message;
}

}  // namespace

std::string Result::get(int row, const char* column) const {
    return get(row, column_index(column));
}

std::optional<std::string> Result::get_opt(int row, const char* column) const {
    int c = column_index(column);
    if (is_null(row, c)) return std::nullopt;
    return get(row, c);
}

int Result::column_index(const char* column) const {
    int c = PQfnumber(res_.get(), column);
    if (c < 0) throw Error(ErrorKind::internal, fmt::format("query result has no column {}", column));
    return c;
}

Connection::Connection(const std::string& conninfo, std::string role) : role_(std::move(role)) {
    // Refused before libpq reads it: libpq would take the password's rest
    // for a host name and print it in its error (never echoed here).
    if (has_unencoded_at_in_userinfo(conninfo))
        throw Error(ErrorKind::usage,
                    fmt::format("the {} connection URI holds an '@' in its user or password part", role_),
                    "percent-encode it as %40 (likewise ':' '/' '?' '#' '%' '&' and spaces), or give the "
                    "password in PGPASSWORD or ~/.pgpass");
    // expand_dbname=1: conninfo may be a URI or keyword string; anything not
    // given falls back to PG* environment variables, service files, .pgpass.
    const char* keys[] = {"dbname", "fallback_application_name", nullptr};
    const char* values[] = {conninfo.c_str(), "dbclone", nullptr};
    conn_ = connect_verbose(keys, values);
    if (conn_ == nullptr) throw Error(ErrorKind::internal, "out of memory connecting to " + role_);
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string code;
        std::string message = without_verbose_fields(trim(PQerrorMessage(conn_)), code);
        if (message.empty()) message = "timeout expired";
        // Decided on codes, never on the message's words: the server's
        // refusal carries 28P01 (wrong password) or 28000 (pg_hba.conf), and
        // libpq itself, which gives no code, tells a password it needed and
        // found nowhere by PQconnectionNeedsPassword.
        const bool auth = code == sqlstate::kInvalidPassword || code == sqlstate::kInvalidAuthorization ||
                          PQconnectionNeedsPassword(conn_) == 1;
        PQfinish(conn_);
        conn_ = nullptr;
        ErrorKind kind = auth                                    ? ErrorKind::authentication
                         : code == sqlstate::kInvalidCatalogName ? ErrorKind::not_found
                                                                 : ErrorKind::connection;
        std::string hint = kind == ErrorKind::authentication
                               ? "check the user and password (PGPASSWORD, ~/.pgpass or a service file)"
                           : kind == ErrorKind::not_found
                               ? "the server answered, but has no such database: check the database name in "
                                 "the connection string (or create the database first)"
                               : "check host, port and that the server is running";
        Error e(kind, fmt::format("cannot connect to {} database: {}", role_, redact(message)), hint);
        e.set_sqlstate(code);
        throw e;
    }
    PQsetErrorVerbosity(conn_, PQERRORS_DEFAULT);
    backend_pid_ = PQbackendPID(conn_);
    exec(kSessionSettings);
    // The settings again as SET LOCAL, for the transactions of a pooled connection.
    for (std::string_view rest = kSessionSettings; !rest.empty();) {
        auto end = rest.find("; ");
        auto statement = rest.substr(0, end);
        local_settings_ += fmt::format("SET LOCAL {}; ", statement.substr(4));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
    }
    pooled_ = query("SELECT pg_catalog.pg_backend_pid()").get(0, 0) != std::to_string(PQbackendPID(conn_));
    if (auto lock_timeout = lock_timeout_value(); !lock_timeout.empty()) set("lock_timeout", lock_timeout);
}

void Connection::set(const std::string& name, const std::string& value) {
    local_settings_ += fmt::format("SET LOCAL {} = {}; ", name, value);
    // Inside a transaction a plain SET would outlive it in a pooled server session.
    if (pooled_ && PQtransactionStatus(conn_) != PQTRANS_IDLE)
        raw_exec(fmt::format("SET LOCAL {} = {}", name, value));
    else if (!pooled_)
        raw_exec(fmt::format("SET {} = {}", name, value));
}

namespace {
bool starts_with_word(const std::string& sql, std::string_view word) {
    if (sql.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(sql[i])) != word[i]) return false;
    return sql.size() == word.size() || !std::isalnum(static_cast<unsigned char>(sql[word.size()]));
}
}  // namespace

bool Connection::needs_own_transaction(const std::string& sql) const {
    return pooled_ && PQtransactionStatus(conn_) == PQTRANS_IDLE && !starts_with_word(sql, "BEGIN") &&
           !starts_with_word(sql, "START") && !starts_with_word(sql, "COMMIT") &&
           !starts_with_word(sql, "ROLLBACK");
}

template <typename Fn>
auto Connection::in_own_transaction(Fn&& fn) -> decltype(fn()) {
    raw_exec("BEGIN");
    try {
        raw_exec(local_settings_);
        if constexpr (std::is_void_v<decltype(fn())>) {
            fn();
            raw_exec("COMMIT");
        } else {
            auto out = fn();
            raw_exec("COMMIT");
            return out;
        }
    } catch (...) {
        rollback_quietly();
        throw;
    }
}

Connection::~Connection() {
    if (conn_ != nullptr) PQfinish(conn_);
}

bool Connection::on_this_machine() const {
    // PQhostaddr is the numeric address connected to, whatever name was
    // given ("localhost" included), and empty for a Unix-domain socket,
    // whose directory PQhost then gives.
    const char* addr = PQhostaddr(conn_);
    if (addr == nullptr || *addr == '\0') {
        const char* host = PQhost(conn_);
        return host != nullptr && (host[0] == '/' || host[0] == '@');
    }
    in_addr v4{};
    if (inet_pton(AF_INET, addr, &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return inet_pton(AF_INET6, addr, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string Connection::label() const {
    return fmt::format("{} pid {}", role_, backend_pid());
}

void Connection::fail(const std::string& doing, PGresult* res) {
    std::string message;
    std::string sqlstate;
    if (res != nullptr) {
        const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
        message = primary ? primary : trim(PQresultErrorMessage(res));
        if (detail) message += fmt::format(" ({})", detail);
        if (state) sqlstate = state;
        PQclear(res);
    }
    if (message.empty()) message = trim(PQerrorMessage(conn_));
    ErrorKind kind = PQstatus(conn_) == CONNECTION_BAD ? ErrorKind::connection : ErrorKind::sql;
    // Cancelled because the run is stopping (a signal, or another job failed):
    // the statement did not happen, the run resumes from its journal.
    if (cancelled_ && sqlstate == "57014" && stop_requested()) {
        kind = ErrorKind::interrupted;
        message = interrupted() ? "interrupted by a signal; the running statement was cancelled"
                                : "cancelled: another job of this run failed";
    }
    cancelled_ = false;
    Error e(kind, redact(message) + (sqlstate.empty() ? "" : " [SQLSTATE " + sqlstate + "]"));
    e.set_sqlstate(sqlstate);
    if (kind == ErrorKind::interrupted) e.set_hint("run the same command again with --resume to continue");
    // lock_not_available: lock_timeout (--lock-wait-timeout) ran out.
    if (sqlstate == "55P03")
        e.set_hint(
            "another session holds a lock this run needs; run again with --resume once it is "
            "released, or give --lock-wait-timeout more time");
    e.add_context(doing);
    e.add_context("[" + label() + "]");
    throw e;
}

PGresult* Connection::run(const std::function<int(PGconn*)>& send) {
    auto outcome = send_and_wait(conn_, send);
    cancelled_ = outcome.cancelled;
    return outcome.result;
}

void Connection::exec(const std::string& sql) {
    if (needs_own_transaction(sql)) return in_own_transaction([&] { raw_exec(sql); });
    const bool begins = pooled_ && PQtransactionStatus(conn_) == PQTRANS_IDLE &&
                        (starts_with_word(sql, "BEGIN") || starts_with_word(sql, "START"));
    raw_exec(sql);
    if (begins) raw_exec(local_settings_);
}

void Connection::raw_exec(const std::string& sql) {
    PGresult* res = run([&](PGconn* c) { return PQsendQuery(c, sql.c_str()); });
    auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
        fail("executing " + in_error(sql), res);
    PQclear(res);
}

Result Connection::query(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
    if (needs_own_transaction(sql)) return in_own_transaction([&] { return query(sql, params); });
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* res = run([&](PGconn* c) {
        return PQsendQueryParams(c, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                 nullptr, nullptr, 0);
    });
    if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
        fail("running query " + sql.substr(0, 120), res);
    return Result(res);
}

std::uint64_t Connection::copy_out(const std::string& copy_sql,
                                   const std::function<void(const char*, std::size_t)>& on_row) {
    if (needs_own_transaction(copy_sql))
        return in_own_transaction([&] { return copy_out(copy_sql, on_row); });
    PGresult* res = run([&](PGconn* c) { return PQsendQuery(c, copy_sql.c_str()); });
    if (PQresultStatus(res) != PGRES_COPY_OUT) fail("starting " + in_error(copy_sql), res);
    PQclear(res);
    std::uint64_t rows = 0;
    char* buffer = nullptr;
    for (;;) {
        int n = PQgetCopyData(conn_, &buffer, 1);  // async: 0 = nothing yet
        if (n == 0) {
            int no_grace = 0;
            if (!wait_readable(conn_, cancelled_, no_grace)) fail("reading " + in_error(copy_sql));
            continue;
        }
        if (n == -1) break;
        if (n == -2) fail("reading " + in_error(copy_sql));
        try {
            on_row(buffer, static_cast<std::size_t>(n));
        } catch (...) {
            PQfreemem(buffer);
            // Drain so the connection stays usable for the rollback.
            PQrequestCancel(conn_);
            while (PQgetCopyData(conn_, &buffer, 0) >= 0) PQfreemem(buffer);
            while (PGresult* r = PQgetResult(conn_)) PQclear(r);
            throw;
        }
        PQfreemem(buffer);
        ++rows;
    }
    res = wait_for_results(conn_).result;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) fail("finishing " + in_error(copy_sql), res);
    PQclear(res);
    return rows;
}

void Connection::CopyIn::put(const char* data, std::size_t n) {
    if (batch_.size() + n > kBatchBytes) flush();
    if (n >= kBatchBytes) {
        // Large values go straight through, in messages of one batch each:
        // libpq copies a whole message into its output buffer, which would
        // otherwise grow to the size of a 200 MiB value (COPY FROM takes a
        // row cut across messages). libpq blocks until the socket takes them.
        for (std::size_t at = 0; at < n; at += kBatchBytes) {
            const std::size_t piece = std::min(kBatchBytes, n - at);
            if (PQputCopyData(conn_.conn_, data + at, static_cast<int>(piece)) != 1)
                conn_.fail("sending COPY data");
        }
        return;
    }
    batch_.append(data, n);
}

void Connection::CopyIn::flush() {
    if (batch_.empty()) return;
    if (PQputCopyData(conn_.conn_, batch_.data(), static_cast<int>(batch_.size())) != 1)
        conn_.fail("sending COPY data");
    batch_.clear();
}

std::uint64_t Connection::copy_in(const std::string& copy_sql, const std::function<void(CopyIn&)>& feeder) {
    if (needs_own_transaction(copy_sql)) return in_own_transaction([&] { return copy_in(copy_sql, feeder); });
    PGresult* res = run([&](PGconn* c) { return PQsendQuery(c, copy_sql.c_str()); });
    if (PQresultStatus(res) != PGRES_COPY_IN) fail("starting " + in_error(copy_sql), res);
    PQclear(res);
    CopyIn in(*this);
    try {
        feeder(in);
        in.flush();
    } catch (...) {
        PQputCopyEnd(conn_, "aborted by dbclone");
        while (PGresult* r = PQgetResult(conn_)) PQclear(r);
        throw;
    }
    if (PQputCopyEnd(conn_, nullptr) != 1) fail("ending " + in_error(copy_sql));
    // The server checks constraints and writes as it ends the COPY: cancellable too.
    auto outcome = wait_for_results(conn_);
    cancelled_ = outcome.cancelled;
    res = outcome.result;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) fail("loading with " + in_error(copy_sql), res);
    std::uint64_t rows = std::strtoull(PQcmdTuples(res), nullptr, 10);
    PQclear(res);
    return rows;
}

void Connection::rollback_quietly() noexcept {
    // The connection may be broken or mid-COPY; either way the first error is the one to report.
    if (PGresult* r = PQexec(conn_, "ROLLBACK")) PQclear(r);
}

std::string Connection::server_version_string() {
    return query("SHOW server_version").get(0, 0);
}

std::string Connection::current_database() {
    return query("SELECT current_database()").get(0, 0);
}

}  // namespace dbclone::pg
