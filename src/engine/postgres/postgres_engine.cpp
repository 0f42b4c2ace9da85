// The PostgreSQL engine: libpq on both sides, dbclone moves the data itself.
#include <fmt/format.h>

#include "core/error.h"
#include "engine/engine.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/commands/commands.h"
#include "engine/postgres/libpq/connection.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/session_options.h"
#include "engine/postgres/pg_options.h"

namespace dbclone {

namespace {

class PostgresEngine final : public Engine {
public:
    std::string_view name() const override { return "postgres"; }

    Plan plan(const Request& request, RunResult& result) override {
        for (const auto& [option, value] : request.engine_options)
            if (!value.empty() && !pg::is_pg_option(option))
                throw Error(ErrorKind::usage,
                            fmt::format("option --{} is not used by the postgres engine", option));
        // Before the first connection: every session of the run waits at most this long for a lock.
        pg::set_lock_wait_timeout(request.lock_wait_timeout);
        // The server would cut a longer name to 63 bytes (NAMEDATALEN - 1)
        // without a word and the copy would land under another name.
        constexpr std::size_t kMaxNameBytes = 63;
        if (request.target_schema.size() > kMaxNameBytes)
            throw Error(
                ErrorKind::usage,
                fmt::format("target schema name {} is {} bytes long; PostgreSQL names hold at most {}",
                            pg::quote_ident(request.target_schema), request.target_schema.size(),
                            kMaxNameBytes),
                "choose a shorter target name (--remap-schema SRC:DST or --schema SRC:DST)");
        switch (request.command) {
            case Command::clone:
                return pg::build_clone_plan(request, result);
            case Command::verify:
                return pg::build_verify_plan(request, result);
            case Command::export_:
                return pg::build_export_plan(request, result);
            case Command::import:
                return pg::build_import_plan(request, result);
            case Command::refresh:
                return refresh_plan(request, result);
            case Command::doctor:
                throw Error(ErrorKind::unsupported, "doctor is offered by the oracle engine only",
                            "run `dbclone plan clone ...` to see what a PostgreSQL clone would do");
            case Command::dumps:
                return pg::build_dumps_plan(request, result);
        }
        throw Error(ErrorKind::internal, "unknown command");
    }

private:
    // A PostgreSQL refresh is a clone into the existing target schema whose
    // tables are emptied first (Data Pump's TABLE_EXISTS_ACTION=TRUNCATE):
    // the target keeps its structure, grants and extra objects.
    static Plan refresh_plan(const Request& request, RunResult& result) {
        Request r = request;
        if (r.table_exists == TableExistsAction::none) r.table_exists = TableExistsAction::truncate;
        if (r.source == r.target && r.source_schema == r.target_schema)
            throw Error(ErrorKind::usage, "refresh: the target is the source",
                        "name another target schema or database");
        {
            // Refresh keeps the target's structure: there must be one.
            pg::Connection target(r.target, "target");
            if (!pg::schema_exists(target, r.target_schema))
                throw Error(ErrorKind::not_found,
                            fmt::format("refresh: schema {} does not exist in the target database",
                                        pg::quote_ident(r.target_schema)),
                            "create it first with dbclone clone");
        }
        r.command = Command::clone;
        auto plan = pg::build_clone_plan(r, result);
        Plan renamed("refresh");
        for (auto& step : plan.steps()) renamed.add(std::move(step));
        return renamed;
    }
};

}  // namespace

std::unique_ptr<Engine> make_postgres_engine() {
    return std::make_unique<PostgresEngine>();
}

}  // namespace dbclone
