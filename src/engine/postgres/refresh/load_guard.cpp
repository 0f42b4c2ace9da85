#include "engine/postgres/refresh/load_guard.h"

#include <fmt/format.h>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/refresh/text_array.h"

namespace dbclone::pg {

namespace {

constexpr const char* kNotValid = " NOT VALID";

// Constraints whose definitions are read with search_path = pg_catalog, so
// every name in them is schema-qualified and re-adding them needs no session
// state (a transaction-mode pooler may hand each statement another session).
constexpr const char* kConstraintsSql = R"sql(
WITH s AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname = ANY($2::text[]))
SELECT format('%I.%I', cn.nspname, cr.relname) AS tbl, con.conname, con.contype::text AS contype,
       pg_get_constraintdef(con.oid) AS def, con.convalidated,
       coalesce((SELECT string_agg(quote_ident(a.attname), chr(31) ORDER BY k.i)
                 FROM unnest(con.conkey) WITH ORDINALITY k(attnum, i)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), '') AS cols,
       CASE WHEN fr.oid IS NULL THEN '' ELSE format('%I.%I', fn.nspname, fr.relname) END AS ref_tbl,
       coalesce((SELECT string_agg(quote_ident(a.attname), chr(31) ORDER BY k.i)
                 FROM unnest(con.confkey) WITH ORDINALITY k(attnum, i)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum), '') AS ref_cols
FROM pg_constraint con
JOIN pg_class cr ON cr.oid = con.conrelid
JOIN pg_namespace cn ON cn.oid = cr.relnamespace
LEFT JOIN pg_class fr ON fr.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fr.relnamespace
WHERE con.conparentid = 0 AND (
      (con.contype = 'f' AND (con.conrelid IN (SELECT oid FROM s) OR con.confrelid IN (SELECT oid FROM s))
       AND (NOT $3::boolean OR con.conrelid NOT IN (SELECT oid FROM s)))
   OR (con.contype = 'c' AND NOT con.convalidated AND con.conislocal AND con.conrelid IN (SELECT oid FROM s)
       AND NOT $3::boolean))
ORDER BY con.contype DESC, 1, 2
)sql";

constexpr const char* kTriggersSql = R"sql(
SELECT format('%I.%I', n.nspname, c.relname) AS tbl, t.tgname, t.tgenabled::text AS enabled
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND NOT t.tgisinternal AND t.tgparentid = 0
  AND t.tgenabled::text = ANY($3::text[])
ORDER BY 1, 2
)sql";

std::vector<std::string> split_unit(const std::string& s) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        auto pos = s.find('\x1f', start);
        out.push_back(s.substr(start, pos - start));
        if (pos == std::string::npos) break;
        start = pos + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string trigger_state_sql(const SavedTrigger& t) {
    const char* action = "ENABLE TRIGGER";
    switch (t.enabled) {
        case 'D':
            action = "DISABLE TRIGGER";
            break;
        case 'R':
            action = "ENABLE REPLICA TRIGGER";
            break;
        case 'A':
            action = "ENABLE ALWAYS TRIGGER";
            break;
        default:
            break;
    }
    return fmt::format("ALTER TABLE {} {} {}", t.table, action, quote_ident(t.name));
}

// The first row of a foreign key's table that has no partner in the
// referenced table (MATCH SIMPLE: rows with a NULL key column are fine).
std::optional<std::string> first_orphan(Connection& conn, const SavedConstraint& c) {
    if (c.columns.empty() || c.columns.size() != c.ref_columns.size()) return std::nullopt;
    std::vector<std::string> not_null, match, values;
    for (std::size_t i = 0; i < c.columns.size(); ++i) {
        not_null.push_back("c." + c.columns[i] + " IS NOT NULL");
        match.push_back("p." + c.ref_columns[i] + " = c." + c.columns[i]);
        values.push_back("c." + c.columns[i]);
    }
    auto r = conn.query(fmt::format(
        "SELECT row({})::text FROM {} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {}) LIMIT 1",
        join(values, ", "), c.table, join(not_null, " AND "), c.ref_table, join(match, " AND ")));
    if (r.rows() == 0) return std::nullopt;
    return fmt::format("({})={}", join(c.columns, ", "), r.get(0, 0));
}

}  // namespace

std::set<std::string> LoadGuard::trigger_tables() const {
    std::set<std::string> out;
    for (const auto& t : triggers) out.insert(t.table);
    return out;
}

nlohmann::json to_json(const LoadGuard& guard) {
    nlohmann::json out = {{"replica", guard.replica},
                          {"constraints", nlohmann::json::array()},
                          {"triggers", nlohmann::json::array()}};
    for (const auto& c : guard.constraints)
        out["constraints"].push_back({{"table", c.table},
                                      {"name", c.name},
                                      {"type", std::string(1, c.type)},
                                      {"definition", c.definition},
                                      {"validated", c.validated},
                                      {"columns", c.columns},
                                      {"ref_table", c.ref_table},
                                      {"ref_columns", c.ref_columns}});
    for (const auto& t : guard.triggers)
        out["triggers"].push_back(
            {{"table", t.table}, {"name", t.name}, {"enabled", std::string(1, t.enabled)}});
    return out;
}

LoadGuard load_guard_from_json(const nlohmann::json& json) {
    LoadGuard g;
    g.replica = json.value("replica", false);
    for (const auto& c : json.at("constraints")) {
        SavedConstraint s;
        s.table = c.at("table").get<std::string>();
        s.name = c.at("name").get<std::string>();
        s.type = c.at("type").get<std::string>().at(0);
        s.definition = c.at("definition").get<std::string>();
        s.validated = c.at("validated").get<bool>();
        s.columns = c.at("columns").get<std::vector<std::string>>();
        s.ref_table = c.at("ref_table").get<std::string>();
        s.ref_columns = c.at("ref_columns").get<std::vector<std::string>>();
        g.constraints.push_back(std::move(s));
    }
    for (const auto& t : json.at("triggers"))
        g.triggers.push_back({t.at("table").get<std::string>(), t.at("name").get<std::string>(),
                              t.at("enabled").get<std::string>().at(0)});
    return g;
}

bool may_use_replica_role(Connection& conn) {
    bool allowed = false;
    in_transaction(conn, [&] {
        conn.exec("SAVEPOINT dbclone_probe");
        try {
            conn.exec("SET LOCAL session_replication_role = replica");
            allowed = true;
        } catch (const Error&) {
            // Not allowed for this role: the owner path is used instead.
        }
        conn.exec("ROLLBACK TO SAVEPOINT dbclone_probe");
    });
    return allowed;
}

LoadGuard read_load_guard(Connection& conn, const std::string& schema, const std::set<std::string>& tables,
                          bool replica, bool external_keys_only) {
    LoadGuard g;
    g.replica = replica;
    if (tables.empty()) return g;
    const std::string names = text_array_literal(tables);
    in_transaction(conn, [&] {
        conn.exec("SET LOCAL search_path = pg_catalog");
        auto r =
            conn.query(kConstraintsSql, {schema, names, std::string(external_keys_only ? "true" : "false")});
        for (int i = 0; i < r.rows(); ++i) {
            SavedConstraint c;
            c.table = r.get(i, "tbl");
            c.name = r.get(i, "conname");
            c.type = r.get(i, "contype").at(0);
            c.definition = r.get(i, "def");
            const std::string suffix = kNotValid;
            if (c.definition.size() > suffix.size() &&
                c.definition.compare(c.definition.size() - suffix.size(), suffix.size(), suffix) == 0)
                c.definition.resize(c.definition.size() - suffix.size());
            c.validated = r.get_bool(i, "convalidated");
            c.columns = split_unit(r.get(i, "cols"));
            c.ref_table = r.get(i, "ref_tbl");
            c.ref_columns = split_unit(r.get(i, "ref_cols"));
            g.constraints.push_back(std::move(c));
        }
        if (external_keys_only) return;
        // Triggers that would fire for copied rows: with replica, ordinary
        // (origin) triggers are silent already; ENABLE REPLICA and ALWAYS ones are not.
        auto t = conn.query(kTriggersSql, {schema, names, std::string(replica ? "{R,A}" : "{O,R,A}")});
        for (int i = 0; i < t.rows(); ++i)
            g.triggers.push_back({t.get(i, "tbl"), t.get(i, "tgname"), t.get(i, "enabled").at(0)});
    });
    return g;
}

void relax_load_guard(Connection& conn, const LoadGuard& guard) {
    in_transaction(conn, [&] {
        for (const auto& c : guard.constraints)
            with_context(fmt::format("dropping constraint {} of {}", quote_ident(c.name), c.table), [&] {
                conn.exec(
                    fmt::format("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}", c.table, quote_ident(c.name)));
            });
        if (guard.replica) {
            for (const auto& t : guard.triggers)
                with_context(fmt::format("disabling trigger {} of {}", quote_ident(t.name), t.table), [&] {
                    conn.exec(fmt::format("ALTER TABLE {} DISABLE TRIGGER {}", t.table, quote_ident(t.name)));
                });
            return;
        }
        // The owner path: every user trigger of the table is off for the load
        // (internal ones - foreign-key checks - are gone with the keys).
        for (const auto& table : guard.trigger_tables())
            with_context("disabling user triggers of " + table,
                         [&] { conn.exec(fmt::format("ALTER TABLE {} DISABLE TRIGGER USER", table)); });
    });
}

void restore_load_guard(Connection& conn, const LoadGuard& guard, Report& report) {
    for (const auto& c : guard.constraints) {
        const std::string label = fmt::format("constraint {} of {}", quote_ident(c.name), c.table);
        with_context("restoring " + label, [&] {
            auto present = conn.query(
                "SELECT convalidated FROM pg_catalog.pg_constraint WHERE conrelid = $1::regclass AND conname "
                "= $2",
                {c.table, c.name});
            if (present.rows() == 0) {
                conn.exec(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}{}", c.table, quote_ident(c.name),
                                      c.definition, kNotValid));
            } else if (present.get(0, 0) == "t" || !c.validated) {
                return;  // already as it was
            }
            if (!c.validated) return;  // it was NOT VALID before the load, and stays so
            if (c.type == 'f') {
                if (auto key = first_orphan(conn, c)) {
                    report.add(
                        "constraints", c.table + " " + quote_ident(c.name), CheckStatus::fail,
                        fmt::format("row with key {} has no partner in {}; the constraint was left NOT "
                                    "VALID (fix the row, then ALTER TABLE {} VALIDATE CONSTRAINT {})",
                                    *key, c.ref_table, c.table, quote_ident(c.name)));
                    return;
                }
            }
            conn.exec(fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {}", c.table, quote_ident(c.name)));
        });
    }
    for (const auto& t : guard.triggers)
        with_context(fmt::format("restoring trigger {} of {}", quote_ident(t.name), t.table),
                     [&] { conn.exec(trigger_state_sql(t)); });
}

std::string describe_load_guard(const LoadGuard& guard) {
    std::size_t keys = 0, checks = 0, invalid_keys = 0;
    for (const auto& c : guard.constraints) {
        if (c.type == 'f') {
            ++keys;
            if (!c.validated) ++invalid_keys;
        } else {
            ++checks;
        }
    }
    std::string out = fmt::format(
        "{} foreign key(s) touching the loaded tables dropped and re-added after the load (NOT VALID, then "
        "VALIDATE; {} NOT VALID before stay NOT VALID); {} NOT VALID check(s) dropped and re-added NOT "
        "VALID; ",
        keys, invalid_keys, checks);
    if (guard.replica)
        out += fmt::format(
            "fast path: the load sessions SET session_replication_role = replica (allowed for this role), "
            "{} ENABLE REPLICA/ALWAYS trigger(s) disabled and restored",
            guard.triggers.size());
    else
        out += fmt::format(
            "owner path (session_replication_role = replica is not allowed for this role): user triggers "
            "of {} table(s) disabled (DISABLE TRIGGER USER) and restored exactly ({} trigger(s))",
            guard.trigger_tables().size(), guard.triggers.size());
    return out;
}

}  // namespace dbclone::pg
