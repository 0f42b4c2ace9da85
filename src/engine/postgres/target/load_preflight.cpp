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

namespace {

// The later-relation columns (catalog.h rows_naming_later_relations) this
// run can take: a load into the target's existing tables, which keeps them.
bool keeps_existing_relations(const PgRun& run) {
    return run.into_existing && run.request.table_exists != TableExistsAction::replace;
}

// Each relation named by later-relation values stands in the target schema
// now: the rows load with search_path = the target schema, pg_catalog, so
// each name reads as the relation of that name there.
void require_named_relations_on_target(PgRun& run) {
    const auto& later = run.catalog.rows_naming_later_relations;
    std::vector<std::string> labels, missing;
    for (const auto& [label, relations] : later) {
        labels.push_back(label);
        for (const auto& relation : relations) {
            auto r = run.target->query(
                "SELECT pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.' || $2) IS NOT NULL",
                {run.load_schema, relation});
            if (r.get(0, 0) != "t")
                missing.push_back(fmt::format("{} ({})", relation, label.substr(0, label.find(':'))));
        }
    }
    if (!missing.empty())
        throw Error(ErrorKind::unsupported,
                    fmt::format("rows of schema {} name relations that target schema {} does not have, so "
                                "those values cannot load: {}",
                                quote_ident(run.request.source_schema), quote_ident(run.load_schema),
                                fmt::join(missing, ", ")),
                    "create those relations on the target as the source has them, or clone the schema anew; "
                    "nothing was changed on the target");
    if (!labels.empty())
        run.result.summary.push_back(fmt::format(
            "object-identifier values naming relations the target schema has already load as its own: {}",
            fmt::join(labels, ", ")));
}

}  // namespace

void refuse_rows_naming_schema(PgRun& run) {
    const auto& c = run.catalog;
    std::vector<std::string> refused = c.rows_naming_schema;
    if (!keeps_existing_relations(run))
        for (const auto& [label, _] : c.rows_naming_later_relations) refused.push_back(label);
    if (refused.empty()) {
        if (keeps_existing_relations(run)) require_named_relations_on_target(run);
        return;
    }
    if (!c.reg_values_relative)
        throw Error(
            ErrorKind::unsupported,
            fmt::format("schema {} has object-identifier columns whose values name its own objects, and this "
                        "dump set was written by an earlier dbclone that gave them qualified with schema {}, "
                        "which the load cannot resolve to the copy's objects: {}",
                        quote_ident(run.request.source_schema), quote_ident(run.request.source_schema),
                        fmt::join(refused, ", ")),
            "export the schema again with this version (it writes such values relative to the schema); "
            "nothing was changed on the target");
    throw Error(ErrorKind::unsupported,
                fmt::format("schema {} has object-identifier values naming its own objects that a load "
                            "cannot point at the copy's objects exactly: {}",
                            quote_ident(run.request.source_schema), fmt::join(refused, ", ")),
                "store those references as text (ALTER TABLE ... ALTER COLUMN ... TYPE text) on the source, "
                "or give each such object a name of its own; values naming an index load into a copy that "
                "has it already (refresh); nothing was changed on the target");
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
