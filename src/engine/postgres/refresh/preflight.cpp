#include "engine/postgres/refresh/preflight.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "engine/postgres/data/source_access.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/refresh/constraint_compare.h"
#include "engine/postgres/refresh/text_array.h"

namespace dbclone::pg {

namespace {

struct Column {
    std::string type;  // format_type with the table's schema on the search_path
    bool not_null = false;
    bool has_default = false;  // a default, identity or generation expression fills it
    bool generated = false;
};

using TableColumns = std::map<std::string, std::map<std::string, Column>>;  // table -> column -> shape

// Types print unqualified when they live in the table's own schema, so a
// remapped copy compares equal.
constexpr const char* kColumnsSql = R"sql(
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
       a.atthasdef OR a.attidentity <> '' AS has_default, a.attgenerated <> '' AS generated
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped
)sql";

TableColumns read_columns(Connection& conn, const std::string& schema, const std::set<std::string>& tables) {
    TableColumns out;
    conn.exec("SET LOCAL search_path = " + quote_ident(schema) + ", pg_catalog");
    auto r = conn.query(kColumnsSql, {schema, text_array_literal(tables)});
    for (int i = 0; i < r.rows(); ++i)
        out[r.get(i, 0)][r.get(i, 1)] = {r.get(i, "type"), r.get_bool(i, "attnotnull"),
                                         r.get_bool(i, "has_default"), r.get_bool(i, "generated")};
    return out;
}

// The source connection holds the snapshot transaction: its search_path
// change lives in a savepoint that is rolled back.
TableColumns read_source_columns(Connection& source, const std::string& schema,
                                 const std::set<std::string>& tables) {
    TableColumns out;
    source.exec("SAVEPOINT dbclone_preflight");
    try {
        out = read_columns(source, schema, tables);
    } catch (...) {
        source.exec("ROLLBACK TO SAVEPOINT dbclone_preflight");
        throw;
    }
    source.exec("ROLLBACK TO SAVEPOINT dbclone_preflight");
    source.exec("RELEASE SAVEPOINT dbclone_preflight");
    return out;
}

void check_structure(PgRun& run, const std::set<std::string>& tables, PreflightFindings& f) {
    const auto& req = run.request;
    TableColumns target;
    in_transaction(*run.target, [&] { target = read_columns(*run.target, run.load_schema, tables); });
    TableColumns source;
    if (run.source) source = read_source_columns(*run.source, req.source_schema, tables);
    const std::string from = run.source ? "source" : "dump set";
    for (const auto& table : run.catalog.tables) {
        if (!tables.count(table.name)) continue;
        const auto& tcols = target[table.name];
        const std::string label = qualify(run.load_schema, table.name);
        for (const auto& col : table.columns) {
            auto it = tcols.find(col);
            if (it == tcols.end()) {
                f.blocking.push_back(fmt::format("column {} of {} is on the {} but not on the target",
                                                 quote_ident(col), label, from));
                continue;
            }
            if (it->second.generated) {
                f.blocking.push_back(
                    fmt::format("column {} of {} is generated on the target but not on the {}",
                                quote_ident(col), label, from));
                continue;
            }
            if (run.source) {
                auto s = source[table.name].find(col);
                if (s != source[table.name].end() && s->second.type != it->second.type)
                    f.blocking.push_back(
                        fmt::format("column {} of {} is {} on the source but {} on the target",
                                    quote_ident(col), label, s->second.type, it->second.type));
            }
        }
        for (const auto& [name, col] : tcols) {
            if (std::find(table.columns.begin(), table.columns.end(), name) != table.columns.end()) continue;
            if (col.generated) continue;
            if (run.source && source[table.name].count(name) && source[table.name][name].generated) continue;
            if (col.not_null && !col.has_default)
                f.blocking.push_back(
                    fmt::format("column {} of {} is only on the target and NOT NULL without a default: no "
                                "copied row can fill it",
                                quote_ident(name), label));
            else
                f.notes.push_back(
                    fmt::format("column {} of {} is only on the target: loaded rows get its default",
                                quote_ident(name), label));
        }
    }
}

constexpr const char* kTablePrivilegesSql = R"sql(
SELECT c.relname, has_table_privilege(c.oid, 'TRUNCATE') AS may_truncate,
       has_table_privilege(c.oid, 'INSERT') AS may_insert
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
ORDER BY 1
)sql";

void check_privileges(PgRun& run, const std::set<std::string>& tables, const LoadGuard& guard,
                      PreflightFindings& f) {
    auto& t = *run.target;
    auto r = t.query(kTablePrivilegesSql, {run.load_schema, text_array_literal(tables)});
    for (int i = 0; i < r.rows(); ++i) {
        const auto label = qualify(run.load_schema, r.get(i, 0));
        if (!r.get_bool(i, "may_truncate"))
            f.blocking.push_back(fmt::format("this role may not TRUNCATE {}", label));
        if (!r.get_bool(i, "may_insert"))
            f.blocking.push_back(fmt::format("this role may not INSERT into {}", label));
    }
    // Policies that apply to this role (its own tables with FORCE ROW LEVEL
    // SECURITY, or another owner's with RLS enabled): COPY FROM refuses them
    // under row_security = off, after the load has begun.
    const std::vector<std::string> guarded = tables_under_row_security(t, run.load_schema, tables);
    for (const auto& table : guarded)
        f.blocking.push_back(
            fmt::format("row-level security policies of {} apply to this role: COPY cannot load it",
                        qualify(run.load_schema, table)));
    if (!guarded.empty()) f.hints.push_back(row_security_hint(t, run.load_schema, guarded));
    // ALTER TABLE (dropping and adding a constraint, disabling a trigger)
    // needs the table's owner or a member of its owning role.
    std::map<std::string, std::string> altered;  // table -> why
    for (const auto& c : guard.constraints)
        altered.emplace(c.table,
                        fmt::format("its constraint {} is dropped and re-added", quote_ident(c.name)));
    for (const auto& table : guard.trigger_tables()) altered.emplace(table, "its user triggers are disabled");
    for (const auto& [table, why] : altered) {
        auto o = t.query(
            "SELECT pg_has_role(relowner, 'USAGE'), pg_get_userbyid(relowner) FROM pg_catalog.pg_class "
            "WHERE oid = $1::regclass",
            {table});
        if (o.rows() && o.get(0, 0) != "t")
            f.blocking.push_back(fmt::format("{} is owned by {}, not by this role, and {}", table,
                                             quote_ident(o.get(0, 1)), why));
    }
}

}  // namespace

PreflightFindings preflight_load(PgRun& run, const std::set<std::string>& tables, const LoadGuard& guard) {
    PreflightFindings f;
    if (tables.empty()) return f;
    with_context("checking the target tables before loading", [&] {
        check_structure(run, tables, f);
        compare_constraints(run, tables, f);
        check_privileges(run, tables, guard, f);
    });
    return f;
}

void stop_if_blocked(const PreflightFindings& findings) {
    if (findings.blocking.empty()) return;
    std::string what;
    for (const auto& b : findings.blocking) what += (what.empty() ? "" : "; ") + b;
    std::string own;
    for (const auto& h : findings.hints) own += h + "; ";
    throw Error(
        ErrorKind::unsupported, fmt::format("the load cannot finish, nothing was changed: {}", what),
        own +
            "make the target's tables and constraints match the source (ALTER TABLE on the target), or "
            "recreate "
            "them with "
            "--table-exists-action replace; for privileges, run as the tables' owner (or GRANT the "
            "privilege); on PostgreSQL 15+ GRANT SET ON PARAMETER session_replication_role TO the role "
            "lets the load leave triggers alone");
}

}  // namespace dbclone::pg
