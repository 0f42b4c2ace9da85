#include "engine/postgres/data/snapshot.h"

#include <fmt/format.h>

#include "core/error.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/data/source_access.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

void open_source_snapshot(PgRun& run, const std::string& conninfo, const std::string& schema) {
    run.source = std::make_unique<Connection>(conninfo, "source");
    auto& c = *run.source;
    if (c.server_version() < 130000)
        throw Error(
            ErrorKind::unsupported,
            fmt::format("source server version {} is older than PostgreSQL 13", c.server_version_string()),
            "dbclone supports PostgreSQL 13 to 18 as source and target; upgrade that server (pg_upgrade), or "
            "copy that schema with pg_dump and pg_restore instead");
    c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!schema_exists(c, schema))
        throw Error(ErrorKind::not_found,
                    fmt::format("schema {} does not exist in the source database", quote_ident(schema)),
                    "check the schema name (names are case-sensitive)");
    run.source_row_security = check_source_access(c, schema, run.options.enable_row_security);
    if (!run.source_row_security.empty()) {
        // Policies decide which rows this role sees; that is what the user asked for.
        c.exec("SET LOCAL row_security = on");
        std::string listed;
        for (const auto& t : run.source_row_security) listed += (listed.empty() ? "" : ", ") + quote_ident(t);
        run.result.warnings.push_back(
            fmt::format("--enable-row-security: row-level security policies apply to role {} on {} of the "
                        "source schema {}: "
                        "the copy holds the rows they let it see, which may be fewer than the tables hold",
                        quote_ident(c.query("SELECT current_user").get(0, 0)), listed, quote_ident(schema)));
    }
    auto tables = c.query(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        {schema});
    if (tables.rows() > 0) {
        std::string lock = "LOCK TABLE ";
        for (int i = 0; i < tables.rows(); ++i) lock += (i ? ", " : "") + qualify(schema, tables.get(i, 0));
        c.exec(lock + " IN ACCESS SHARE MODE");
    }
    run.snapshot = c.query("SELECT pg_export_snapshot()").get(0, 0);
    // xmin is a 64-bit xid8; a row's xmin column is the low 32 bits of one.
    run.snapshot_xmin =
        c.query("SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::numeric % 4294967296)::text")
            .get(0, 0);
    run.source_version = c.server_version_string();
    run.source_database = c.current_database();
    run.catalog = read_schema_catalog(c, schema);
}

std::unique_ptr<Connection> connect_in_snapshot(const std::string& conninfo, const std::string& snapshot,
                                                const std::string& schema, const std::string& role,
                                                bool row_security) {
    auto c = std::make_unique<Connection>(conninfo, role);
    c->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    c->exec("SET TRANSACTION SNAPSHOT " + quote_literal(snapshot));
    // SET LOCAL: a transaction-mode pooler may hand the server session on.
    if (row_security) c->exec("SET LOCAL row_security = on");
    copy_rows_relative_to(*c, schema);
    return c;
}

std::unique_ptr<Connection> connect_to_source_snapshot(const PgRun& run) {
    return connect_in_snapshot(run.request.source, run.snapshot, run.request.source_schema, "source",
                               !run.source_row_security.empty());
}

}  // namespace dbclone::pg
