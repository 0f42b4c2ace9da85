#include "engine/postgres/target/ddl_rehearsal.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "core/error.h"
#include "core/log.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/target/ddl_guard.h"
#include "engine/postgres/target/remap_entries.h"

namespace dbclone::pg {

int major_version(const std::string& server_version) {
    return std::atoi(server_version.c_str());
}

void rehearse_ddl_on_older_target(PgRun& run) {
    auto& t = *run.target;
    const int target_major = t.server_version() / 10000;
    const int source_major = major_version(run.source_version);
    if (source_major == 0 || target_major >= source_major) return;
    const std::string target_version = t.server_version_string();  // not inside the failed transaction
    const std::string scratch = fmt::format("dbclone_preflight_{}", getpid());
    log::debug("target {} is older than source {}: trying the DDL in {} (rolled back)", target_major,
               source_major, scratch);
    t.exec("BEGIN");
    try {
        t.exec("CREATE SCHEMA " + quote_ident(scratch));
        t.exec("SET LOCAL search_path = " + quote_ident(scratch) + ", pg_catalog");
        t.exec("SET LOCAL check_function_bodies = off");
        std::vector<const DdlEntry*> ordered;  // as apply_pre_data, then apply_post_data
        for (Section section : {Section::pre_data, Section::post_data})
            for (const auto& e : run.catalog.entries)
                if (e.section == section) ordered.push_back(&e);
        for (const DdlEntry* entry : ordered) {
            const auto& e = *entry;
            // Grants name roles the target may lack; apply_post_data skips those.
            if (!e.role.empty()) continue;
            try {
                exec_entry_sql(t, remapped_sql(run, e, scratch));
            } catch (const Error& err) {
                throw Error(
                    ErrorKind::unsupported,
                    fmt::format("target server {} cannot create {} as the source (server {}) "
                                "defines it: {}",
                                target_version, entry_label(e), run.source_version, err.message()),
                    fmt::format("clone into PostgreSQL {} or newer, or change {} on the source so that "
                                "PostgreSQL {} accepts it; nothing was changed on the target",
                                source_major, entry_label(e), target_major));
            }
        }
    } catch (...) {
        t.rollback_quietly();
        throw;
    }
    t.rollback_quietly();
}

}  // namespace dbclone::pg
