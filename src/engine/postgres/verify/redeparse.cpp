#include "engine/postgres/verify/redeparse.h"

#include <fmt/format.h>

#include <set>

#include "core/error.h"
#include "core/log.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/remap/remap.h"
#include "engine/postgres/target/ddl_guard.h"

namespace dbclone::pg {

std::map<std::string, std::string> redeparse_on_server(Connection& conn, const std::string& schema,
                                                       const std::vector<DdlEntry>& entries) {
    std::map<std::string, std::string> out;
    if (entries.empty()) return out;
    const std::string probe = "dbclone_verify_probe_" + conn.query("SELECT pg_backend_pid()").get(0, 0);
    conn.exec("BEGIN");
    try {
        conn.exec("CREATE SCHEMA " + quote_ident(probe));
        // New objects land in the probe schema; names they use resolve in
        // the copy's schema, as when it was loaded.
        conn.exec(fmt::format("SET LOCAL search_path = {}, {}, pg_catalog", quote_ident(probe),
                              quote_ident(schema)));
        conn.exec("SET LOCAL check_function_bodies = off");
        for (const auto& e : entries) {
            // Kinds whose CREATE makes one object in the first schema of the
            // path (an index or trigger would land on the copy's table).
            static const std::set<std::string> kinds = {"VIEW", "MATERIALIZED VIEW", "TABLE", "DOMAIN",
                                                        "TYPE"};
            if (!kinds.count(e.kind)) continue;
            conn.exec("SAVEPOINT probe_entry");
            try {
                exec_entry_sql(conn, e.sql);
                conn.exec("RELEASE SAVEPOINT probe_entry");
            } catch (const Error& err) {
                conn.exec("ROLLBACK TO SAVEPOINT probe_entry");
                log::debug("re-deparse of {} not possible: {}", entry_label(e), err.one_line());
            }
        }
        auto again = read_schema_catalog(conn, probe);
        for (const auto& e : again.entries)
            // Printed from the probe schema, the copy's own objects come out
            // qualified; unqualified they read as the copy's entries do.
            out[entry_label(e)] = remap::remap_schema(e.sql, schema, "").sql;
    } catch (const Error& err) {
        log::debug("re-deparse on the target not possible: {}", err.one_line());
    }
    conn.exec("ROLLBACK");
    return out;
}

}  // namespace dbclone::pg
