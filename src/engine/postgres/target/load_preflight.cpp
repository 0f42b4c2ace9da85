#include "engine/postgres/target/load_preflight.h"

#include <fmt/format.h>

#include <vector>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/target/target.h"

namespace dbclone::pg {

void refuse_superuser_kinds_for_plain_role(PgRun& run) {
    std::vector<std::string> needing;
    for (const auto& e : run.catalog.entries)
        if (e.kind == "OPERATOR CLASS" || e.kind == "OPERATOR FAMILY" || e.kind == "TEXT SEARCH PARSER" ||
            e.kind == "TEXT SEARCH TEMPLATE")
            needing.push_back(entry_label(e));
    if (needing.empty()) return;
    auto& t = *run.target;
    auto me = t.query("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user");
    if (me.get(0, 1) == "t") return;
    throw Error(
        ErrorKind::unsupported,
        fmt::format("only a superuser can create {} object(s) of the source schema on the target, and "
                    "role {} is not one: {}",
                    needing.size(), me.get(0, 0), fmt::join(needing, ", ")),
        "connect to the target as a superuser, or move these objects out of the source schema; nothing "
        "was changed on the target");
}

void refuse_rows_naming_schema(const PgRun& run) {
    const auto& c = run.catalog;
    if (c.rows_naming_schema.empty()) return;
    if (!c.reg_values_relative)
        throw Error(
            ErrorKind::unsupported,
            fmt::format("schema {} has object-identifier columns whose values name its own objects, and this "
                        "dump set was written by an earlier dbclone that gave them qualified with schema {}, "
                        "which the load cannot resolve to the copy's objects: {}",
                        quote_ident(run.request.source_schema), quote_ident(run.request.source_schema),
                        fmt::join(c.rows_naming_schema, ", ")),
            "export the schema again with this version (it writes such values relative to the schema); "
            "nothing was changed on the target");
    throw Error(ErrorKind::unsupported,
                fmt::format("schema {} has object-identifier values naming its own objects that a load "
                            "cannot point at the copy's objects exactly: {}",
                            quote_ident(run.request.source_schema), fmt::join(c.rows_naming_schema, ", ")),
                "store those references as text (ALTER TABLE ... ALTER COLUMN ... TYPE text) on the source, "
                "or give each such object a name of its own; nothing was changed on the target");
}

void refuse_extensions_the_target_cannot_take(PgRun& run) {
    std::vector<std::string> problems;
    auto& t = *run.target;
    for (const auto& e : run.catalog.entries) {
        if (e.kind != "EXTENSION") continue;
        auto r = t.query(
            "SELECT (SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace "
            "WHERE x.extname = $1) AS installed_in, "
            "EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1) AS available",
            {e.name});
        auto schema = r.get_opt(0, "installed_in");
        // Already in the copy's schema: an earlier attempt of this run made it.
        if (schema && (*schema == run.request.target_schema ||
                       *schema == staging_schema_name(run.request.target_schema)))
            continue;
        if (schema)
            problems.push_back(
                fmt::format("extension {} is already installed in schema {} of the target database "
                            "(an extension exists once per database)",
                            e.name, *schema));
        else if (!r.get_bool(0, "available"))
            problems.push_back(fmt::format("extension {} is not available on the target server", e.name));
    }
    if (problems.empty()) return;
    throw Error(ErrorKind::unsupported,
                fmt::format("schema {} holds extensions the target cannot create in the copy: {}",
                            run.request.source_schema, fmt::join(problems, "; ")),
                "clone into another database (or one without these extensions), or install the extension's "
                "package on the target server; nothing was changed on the target");
}

}  // namespace dbclone::pg
