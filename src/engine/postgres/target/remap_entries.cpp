#include "engine/postgres/target/remap_entries.h"

#include <fmt/format.h>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/remap/remap.h"
#include "engine/postgres/target/ddl_guard.h"
#include "engine/postgres/target/target.h"

namespace dbclone::pg {

namespace {
bool is_routine(const DdlEntry& e) {
    return e.kind == "FUNCTION" || e.kind == "PROCEDURE";
}
}  // namespace

std::string remapped_sql(const PgRun& run, const DdlEntry& entry, const std::string& to) {
    return remapped_sql(run, entry.sql, to);
}

std::string remapped_sql(const PgRun& run, const std::string& sql, const std::string& to) {
    remap::Options options{.rewrite_bodies = run.request.rewrite_bodies};
    return remap::remap_schema(sql, run.catalog.schema, to, options).sql;
}

void rewrite_text_bodies(PgRun& run, const std::string& final_name) {
    if (run.load_schema == final_name) return;  // created under their final name
    auto& t = *run.target;
    remap::Options options{.rewrite_bodies = run.request.rewrite_bodies};
    {
        t.exec("SET LOCAL search_path = " + quote_ident(final_name) + ", pg_catalog");
        t.exec("SET LOCAL check_function_bodies = off");
        for (const auto& e : run.catalog.entries) {
            if (!is_routine(e)) continue;
            // Created naming the load schema: the text goes back to naming the
            // final one - the source's own name when the copy keeps it, where
            // the text is the source's as it is.
            if (!remap::remap_schema(e.sql, run.catalog.schema, run.load_schema, options).body_rewritten)
                continue;
            auto r = remap::remap_schema(e.sql, run.catalog.schema, final_name, options);
            const std::string create = "CREATE " + e.kind + " ";
            if (r.sql.rfind(create, 0) != 0)
                throw Error(ErrorKind::internal, "unexpected definition of " + entry_label(e));
            with_context("rewriting " + entry_label(e) + " for schema " + quote_ident(final_name),
                         [&] { exec_entry_sql(t, "CREATE OR REPLACE " + r.sql.substr(7)); });
        }
    }
}

std::vector<std::string> remap_report(const SchemaCatalog& catalog, const std::string& target_schema,
                                      bool rewrite_bodies, std::vector<std::string>& warnings) {
    std::vector<std::string> lines;
    // What the reader found and could not copy (security labels), or had to
    // decide (a dependency cycle broken): said on every load.
    for (const auto& w : catalog.warnings) warnings.push_back(w);
    if (catalog.schema == target_schema) return lines;
    for (const auto& e : catalog.entries) {
        auto r =
            remap::remap_schema(e.sql, catalog.schema, target_schema, {.rewrite_bodies = rewrite_bodies});
        for (const auto& w : r.rewrites)
            lines.push_back(fmt::format("remapped in {}: {}", entry_label(e), w));
        // What the rewrite did not reach: bodies in other languages, or
        // bodies the user asked to keep.
        if (!is_routine(e) || e.body.empty()) continue;
        auto probe = remap::remap_schema(
            "CREATE FUNCTION f() LANGUAGE plpgsql AS $dbclone_probe$" + e.body + "$dbclone_probe$",
            catalog.schema, target_schema);
        if (probe.rewrites.empty()) continue;
        if (!rewrite_bodies || r.rewrites.empty())
            warnings.push_back(
                fmt::format("{} names the source schema {} in its body{}; it was copied unchanged",
                            entry_label(e), quote_ident(catalog.schema),
                            rewrite_bodies ? " (not SQL or PL/pgSQL)" : " (--no-rewrite-bodies)"));
    }
    return lines;
}

}  // namespace dbclone::pg
