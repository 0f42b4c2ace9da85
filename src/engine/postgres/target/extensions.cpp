#include "engine/postgres/target/extensions.h"

#include <fmt/format.h>

#include "core/error.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

// The schema the target must have the extension in. An extension installed
// in the copied schema itself is named unqualified by the DDL: it belongs in
// the schema being loaded.
std::string wanted_schema(const PgRun& run, const ExtensionUse& x) {
    return x.schema == run.catalog.schema ? run.load_schema : x.schema;
}

std::string create_sql(const PgRun& run, const ExtensionUse& x) {
    return fmt::format("CREATE EXTENSION IF NOT EXISTS {} SCHEMA {}", quote_ident(x.name),
                       quote_ident(wanted_schema(run, x)));
}

}  // namespace

void check_target_extensions(PgRun& run) {
    auto& t = *run.target;
    std::vector<std::string> problems;
    std::vector<std::string> commands;
    for (const auto& x : run.catalog.extensions) {
        const auto schema = wanted_schema(run, x);
        auto installed = t.query(
            "SELECT n.nspname, e.extversion FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = $1",
            {x.name});
        if (installed.rows() == 1) {
            if (installed.get(0, 0) != schema) {
                problems.push_back(fmt::format(
                    "extension {} is in schema {} on the target, the source has it in {}",
                    quote_ident(x.name), quote_ident(installed.get(0, 0)), quote_ident(x.schema)));
                commands.push_back(fmt::format("ALTER EXTENSION {} SET SCHEMA {}", quote_ident(x.name),
                                               quote_ident(schema)));
            } else if (installed.get(0, 1) != x.version) {
                run.result.warnings.push_back(
                    fmt::format("extension {}: version {} on the source, {} on the target",
                                quote_ident(x.name), x.version, installed.get(0, 1)));
            }
            continue;
        }
        auto available =
            t.query("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = $1", {x.name});
        if (available.rows() == 0) {
            problems.push_back(
                fmt::format("extension {} (schema {} on the source) is not available on the target "
                            "server",
                            quote_ident(x.name), quote_ident(x.schema)));
            continue;
        }
        if (run.options.create_extensions) {
            run.extensions_to_create.push_back(x);
            continue;
        }
        problems.push_back(
            fmt::format("extension {} is not installed on the target (the source has it in schema {})",
                        quote_ident(x.name), quote_ident(x.schema)));
        commands.push_back(create_sql(run, x));
    }
    if (problems.empty()) return;
    std::string what;
    for (const auto& p : problems) what += (what.empty() ? "" : "; ") + p;
    std::string how;
    for (const auto& c : commands) how += (how.empty() ? "" : "; ") + c;
    throw Error(ErrorKind::unsupported,
                fmt::format("the schema uses extensions the target lacks: {}; nothing was changed", what),
                how.empty()
                    ? "install the extension's package on the target server, or ask the service to enable it"
                    : "run " + how +
                          " on the target, or pass --create-extensions to let dbclone create the "
                          "missing ones");
}

void create_extensions(PgRun& run) {
    auto& t = *run.target;
    for (const auto& x : run.extensions_to_create) {
        with_context("creating extension " + quote_ident(x.name), [&] {
            if (!schema_exists(t, wanted_schema(run, x)))
                t.exec("CREATE SCHEMA IF NOT EXISTS " + quote_ident(wanted_schema(run, x)));
            t.exec(create_sql(run, x));
        });
        run.result.summary.push_back(fmt::format("created extension {} in schema {}", quote_ident(x.name),
                                                 quote_ident(wanted_schema(run, x))));
    }
}

std::string describe_extensions(const PgRun& run) {
    std::string out;
    for (const auto& x : run.extensions_to_create) out += (out.empty() ? "" : "; ") + create_sql(run, x);
    return out.empty() ? "" : "extensions created: " + out;
}

}  // namespace dbclone::pg
