#include "engine/postgres/target/target_lock.h"

#include <fmt/format.h>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/sqlstate.h"

namespace dbclone::pg {

namespace {
// The advisory lock's first key: marks the lock as dbclone's ("dbcl").
constexpr const char* kLockClass = "1684169580";
// A killed run's backend lets go only once its last statement ends and it
// notices the client is gone: wait that long before calling the lock taken.
constexpr const char* kWaitForDeadHolder = "5s";

std::string describe_holder(Connection& target, const std::string& schema) {
    auto r = target.query(
        "SELECT a.pid, coalesce(a.client_hostname, host(a.client_addr), 'a local socket') AS host, "
        "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '?') AS "
        "started, "
        "coalesce(a.application_name, '') AS app "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
        "AND l.classid = $1::bigint::oid AND l.objid = (hashtext($2)::bigint & 4294967295)::oid LIMIT 1",
        {std::string(kLockClass), schema});
    if (r.rows() == 0) return "another session";
    return fmt::format("server pid {} ({}) connected from {} since {}", r.get(0, "pid"),
                       r.get(0, "app").empty() ? "unnamed" : r.get(0, "app"), r.get(0, "host"),
                       r.get(0, "started"));
}
}  // namespace

void lock_target_schema(Connection& target, const std::string& target_schema) {
    target.exec(fmt::format("SET lock_timeout = '{}'", kWaitForDeadHolder));
    try {
        target.query(fmt::format("SELECT pg_advisory_lock({}, hashtext($1))", kLockClass), {target_schema});
    } catch (const Error& e) {
        if (e.sqlstate() != sqlstate::kLockNotAvailable) throw;
        target.exec("SET lock_timeout = 0");
        throw Error(ErrorKind::busy,
                    fmt::format("another run is loading into schema {} of the target database: {}",
                                quote_ident(target_schema), describe_holder(target, target_schema)),
                    "wait for it to finish, or stop it; then run the command again (with --resume if it did "
                    "not finish)");
    }
    target.exec("SET lock_timeout = 0");
}

}  // namespace dbclone::pg

namespace dbclone::pg {

std::unique_ptr<Connection> lock_target_schema_pooled(const std::string& conninfo,
                                                      const std::string& target_schema) {
    // Behind a transaction-mode pooler a session lock would stay with a
    // server session the pooler hands to other clients; a transaction-level
    // lock in a transaction kept open for the whole run stays pinned to one
    // server session and ends with it.
    auto holder = std::make_unique<Connection>(conninfo, "target");
    holder->exec("BEGIN");
    holder->exec(fmt::format("SET LOCAL lock_timeout = '{}'", kWaitForDeadHolder));
    try {
        holder->query(fmt::format("SELECT pg_advisory_xact_lock({}, hashtext($1))", kLockClass),
                      {target_schema});
    } catch (const Error& e) {
        if (e.sqlstate() != sqlstate::kLockNotAvailable) throw;
        holder->rollback_quietly();
        throw Error(ErrorKind::busy,
                    fmt::format("another run is loading into schema {} of the target database: {}",
                                quote_ident(target_schema), describe_holder(*holder, target_schema)),
                    "wait for it to finish, or stop it; then run the command again (with --resume if it did "
                    "not finish)");
    }
    holder->exec("SET LOCAL lock_timeout = 0");
    return holder;
}

}  // namespace dbclone::pg
