// The read-only preflight of `import` (one dump -> many clones): no source
// database, so what the clone's preflight reads there comes from the dump set
// in the bucket instead - the set itself (found, finished, its export
// successful), the versions its export recorded in its log, its size, and
// with --app the APEX export next to it. Then the target's side as for a
// clone: ORDS, roles, the credential listing the bucket, free storage and
// collisions. Queries, DBMS_UTILITY.DB_VERSION and object reads only.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/error.h"
#include "engine/oracle/datapump_log.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/dump_sets.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/steps/preflight.h"
#include "engine/oracle/versions.h"

namespace dbclone::oracle {

namespace {

using preflight::Lines;
using preflight::SideInfo;

constexpr const char* kPinnedKey = "preflight.prefix";

// The set the import will read (the journaled one on --resume), as a report
// line; none when it cannot be chosen. A choice that needs the user's word
// (sets of several databases) is the usage error find-dump would raise.
std::optional<DumpSet> dump_set(Lines& p, OracleRun& run, const Journal* journal) {
    const auto& o = run.options();
    const std::string name = "dump set of " + o.source_schema + " in the bucket";
    try {
        auto sets = list_dump_sets(run.target(), o);
        std::optional<std::string> pinned;
        if (journal)
            if (auto j = journal->get("export.prefix"); j && j->is_string()) pinned = j->get<std::string>();
        DumpSet chosen;
        if (pinned) {
            auto it = std::find_if(sets.begin(), sets.end(),
                                   [&](const DumpSet& d) { return d.prefix() == *pinned; });
            if (it == sets.end())
                throw Error(ErrorKind::not_found, "the dump set " + *pinned + " this run chose is gone",
                            "restore it, or start the import anew without --resume");
            chosen = *it;
        } else {
            chosen = choose_dump_set(sets, o);
        }
        p.line(name, CheckStatus::pass, fmt::format("{}: {} files", chosen.prefix(), chosen.files.size()));
        return chosen;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::usage) throw;
        p.line(name, CheckStatus::fail, e.message(), e.hint());
        return std::nullopt;
    }
}

std::int64_t dump_file_bytes(OrdsClient& db, const OracleOptions& o, const DumpSet& set) {
    // The listing grouped every object of the set; the .dmp files are the dump.
    std::int64_t bytes = 0;
    for (const auto& row : db.query(list_objects(o))) {
        auto obj = parse_dump_object(text(row, "object_name"));
        if (obj && obj->set.prefix() == set.prefix() && obj->file.size() > 4 &&
            obj->file.compare(obj->file.size() - 4, 4, ".dmp") == 0)
            bytes += static_cast<std::int64_t>(number(row, "bytes"));
    }
    return bytes;
}

void versions(Lines& p, const OracleOptions& o, const SideInfo& tgt,
              const std::optional<DumpVersions>& dump) {
    if (!dump) {
        p.line(
            "database versions", CheckStatus::warn,
            "the dump's export log records no versions (an export made before dbclone recorded them, or not "
            "by dbclone); target COMPATIBLE " +
                tgt.compatible,
            "make sure the dump's Data Pump version is at most the target's COMPATIBLE (else ORA-39142)");
    } else if (compare_versions(dump->dump_version, tgt.compatible, 3) > 0) {
        p.line("database versions", CheckStatus::fail,
               fmt::format("dump Data Pump version {} (source database {}, COMPATIBLE {}) is newer than the "
                           "target's COMPATIBLE {}: the import would stop with ORA-39142",
                           dump->dump_version, dump->source_version, dump->source_compatible, tgt.compatible),
               "export again for this target: dbclone clone or refresh to it sets Data Pump version " +
                   datapump_version(dump->source_compatible, tgt.compatible) +
                   " (an export alone writes the source's COMPATIBLE)");
    } else {
        p.line("database versions", CheckStatus::pass,
               fmt::format("dump Data Pump version {} (source database {}, COMPATIBLE {}); target {} "
                           "(COMPATIBLE {})",
                           dump->dump_version, dump->source_version, dump->source_compatible, tgt.version,
                           tgt.compatible));
    }
    if (!o.app) return;
    if (!dump || dump->source_apex.empty())
        p.line("APEX versions", CheckStatus::warn,
               "the dump's export log records no source APEX version; target APEX " + tgt.apex,
               "an application exported from a newer APEX than the target's does not install");
    else if (compare_versions(dump->source_apex, tgt.apex, 2) > 0)
        p.line("APEX versions", CheckStatus::fail,
               "the application was exported from APEX " + dump->source_apex + ", the target has APEX " +
                   tgt.apex,
               "upgrade APEX on the target, or import without --app");
    else
        p.line("APEX versions", CheckStatus::pass,
               "source APEX " + dump->source_apex + ", target APEX " + tgt.apex);
}

void apex_export_line(Lines& p, OracleRun& run, const DumpSet& set) {
    const auto& o = run.options();
    const std::string prefix = apex_prefix_of(set.prefix(), *o.app);
    const std::string name = fmt::format("APEX export of application {} next to the dump set", *o.app);
    auto files = apex_files(run.target(), o, prefix);
    if (files.empty())
        p.line(
            name, CheckStatus::fail, "nothing under " + o.bucket_uri + prefix,
            fmt::format("export the application with the schema (dbclone export --app {}), or import without "
                        "--app",
                        *o.app));
    else
        p.line(name, CheckStatus::pass, fmt::format("{} file(s) under {}", files.size(), prefix));
}

// A reload (--table-exists-action truncate) needs the schema there; an
// import into a new schema must not find it (nor, with --app, a clashing
// workspace or application id).
void target_schema(Lines& p, OracleRun& run) {
    const auto& o = run.options();
    if (o.table_exists != TableExistsAction::truncate) {
        preflight::collisions(p, run.target(), o, CheckStatus::fail);
        return;
    }
    auto user = run.target().query(query("user_exists.sql", {in("schema", o.target_schema)}));
    if (user.empty())
        p.line("target schema " + o.target_schema + " exists", CheckStatus::fail,
               "no such user: --table-exists-action truncate reloads the tables of an existing schema",
               "import without --table-exists-action (into a new schema), or check --schema S:D");
    else
        p.line("target schema " + o.target_schema + " exists", CheckStatus::pass, "its tables are reloaded");
}

}  // namespace

void run_import_preflight(OracleRun& run, Report& report, Journal* journal) {
    const auto& o = run.options();
    Lines p{report, 0, {}};
    SideInfo tgt = preflight::connect(p, run.target(), "target");
    if (!tgt.reachable) p.stop_if_failed();
    preflight::roles(p, run.target(), "target",
                     o.app ? std::vector<std::string>{"DATAPUMP_CLOUD_IMP", "APEX_ADMINISTRATOR_ROLE"}
                           : std::vector<std::string>{"DATAPUMP_CLOUD_IMP"});
    std::optional<DumpSet> set;
    if (preflight::bucket(p, run.target(), o, "target")) {
        set = dump_set(p, run, journal);
    } else {
        p.line("dump set of " + o.source_schema + " in the bucket", CheckStatus::warn,
               "not looked at: the credential cannot list the bucket yet", "see the credential line");
    }
    if (set) {
        const std::string log_uri = o.bucket_uri + set->prefix() + "export.log";
        const std::string log_text = object_text(run.target(), o, log_uri);
        DatapumpLog log = parse_datapump_log(log_text);
        if (!log.success)
            p.line("export of the dump set", CheckStatus::fail,
                   "its log does not end successfully: " + log.last_line,
                   "choose another set with --dump (dbclone dumps lists them); the log is at " + log_uri);
        else
            p.line("export of the dump set", CheckStatus::pass,
                   fmt::format("completed successfully; {} tables in its log", log.rows.size()));
        versions(p, o, tgt, parse_dump_versions(log_text));
        if (o.app) apex_export_line(p, run, *set);
        const auto bytes = dump_file_bytes(run.target(), o, *set);
        if (bytes > 0)
            preflight::storage(p, run.target(), o, static_cast<double>(bytes),
                               o.table_exists == TableExistsAction::truncate, "the dump files hold");
        // find-dump takes the set checked here, not a newer one that
        // appeared in between.
        if (journal && p.failures == 0) journal->set(kPinnedKey, set->prefix());
    } else {
        versions(p, o, tgt, std::nullopt);
    }
    target_schema(p, run);
    p.stop_if_failed();
}

Step import_preflight_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "preflight";
    s.title =
        "read-only preflight: ORDS on the target, the dump set and its export's versions, privileges, "
        "credential and bucket, storage, collisions (--no-preflight skips it)";
    std::vector<Statement> shown = preflight::first_statements(o);
    shown.push_back(list_objects(o));
    shown.push_back(fetch_object(o, o.bucket_uri + dump_prefix_shown(o) + "export.log"));
    if (o.app) shown.push_back(list_apex_files(o, apex_prefix_shown(o)));
    shown.push_back(query("target_storage.sql", {in("schema", o.target_schema)}));
    shown.push_back(query("user_exists.sql", {in("schema", o.target_schema)}));
    if (o.app && o.table_exists != TableExistsAction::truncate) {
        shown.push_back(
            query("workspace_check.sql", {in("schema", o.target_schema), in("workspace", o.workspace)}));
        if (o.app_id_mode != AppIdMode::auto_assign)
            shown.push_back(
                query("app_exists.sql",
                      {in_number("app_id", o.app_id_mode == AppIdMode::reuse ? *o.app : o.app_id)}));
    }
    s.detail =
        render(shown,
               "queries only; the dump set is the one find-dump will take, its export log says which "
               "Data Pump version and APEX release it came from; every problem is one report line with "
               "its fix, and any failure stops the run before it changes anything");
    s.rerun_on_resume = true;
    s.run = [run](StepContext& ctx) { run_import_preflight(*run, run->result().report, &ctx.journal); };
    return s;
}

}  // namespace dbclone::oracle
