#include "engine/postgres/target/reconcile.h"

#include <map>

#include "core/error.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/target/remap_entries.h"

namespace dbclone::pg {

namespace {
// The load schema as the target has it now, on a connection of its own (the
// reader changes search_path; the caller's session keeps its own).
SchemaCatalog read_load_schema(PgRun& run) {
    Connection conn(run.request.target, "target");
    return with_context("reading the target schema back to reconcile with the journal",
                        [&] { return read_schema_catalog(conn, run.load_schema); });
}

std::string identity(const DdlEntry& e) {
    return e.kind + " " + e.name;
}
}  // namespace

std::string intent_key(const std::string& what) {
    return "intent:" + what;
}

bool entry_present_as_defined(PgRun& run, const DdlEntry& entry) {
    auto target = read_load_schema(run);
    for (const auto& e : target.entries)
        if (e.kind == entry.kind && e.name == entry.name)
            return e.sql == remapped_sql(run, entry, run.load_schema);  // as apply_* created it
    return false;
}

std::vector<std::string> pre_data_differences(PgRun& run) {
    auto target = read_load_schema(run);
    std::map<std::string, const DdlEntry*> present;
    for (const auto& e : target.entries)
        if (e.section == Section::pre_data) present[identity(e)] = &e;
    std::vector<std::string> out;
    for (const auto& e : run.catalog.entries) {
        if (e.section != Section::pre_data) continue;
        auto it = present.find(identity(e));
        if (it == present.end())
            out.push_back(entry_label(e) + " is missing");
        else if (it->second->sql != remapped_sql(run, e, run.load_schema))
            out.push_back(entry_label(e) + " has another definition");
    }
    return out;
}

}  // namespace dbclone::pg
