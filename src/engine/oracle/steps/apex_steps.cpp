// Runbook §3 (APEX export, stored in the bucket next to the dump) and §7
// (install into the new workspace with the new parsing schema). The export
// never leaves the databases: APEX_EXPORT -> DBMS_CLOUD.PUT_OBJECT on the
// source, DBMS_CLOUD.GET_OBJECT -> APEX_APPLICATION_INSTALL on the target.
// --download additionally fetches a copy for people to review.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/dump_sets.h"
#include "engine/oracle/steps/oracle_steps.h"

namespace dbclone::oracle {

namespace {

std::string apex_uri(const OracleOptions& o, const std::string& timestamp) {
    return o.bucket_uri + apex_prefix(o, timestamp);
}

// Where a plan says the APEX export is: this run's (clone), or for an
// import the one next to the dump set it will choose.
std::string apex_uri_shown(const OracleOptions& o) {
    return o.bucket_uri + apex_prefix_shown(o);
}

// The APEX export a run installs: the one find-apex found (import), else
// the one this run's apex-export stored.
std::string installed_apex_uri(const OracleOptions& o, const Journal& journal) {
    if (auto found = journal.get("apex.prefix"); found && found->is_string())
        return o.bucket_uri + found->get<std::string>();
    return apex_uri(o, prefix_timestamp(state(journal, "export.prefix", "export-schema")));
}

std::string out_value(const StatementResult& r, const std::string& name) {
    auto it = r.out.find(name);
    if (it == r.out.end() || it->second.is_null()) return {};
    return it->second.is_string() ? it->second.get<std::string>() : it->second.dump();
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

// A file name from the export, made safe to write under the download folder.
std::filesystem::path safe_relative(const std::string& name) {
    std::filesystem::path p(name);
    if (p.is_absolute() || name.find("..") != std::string::npos || name.empty())
        throw Error(ErrorKind::corrupt_artefact,
                    "APEX export file name '" + name + "' is not a safe relative path");
    return p;
}

}  // namespace

Step apex_export_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "apex-export";
    s.title = fmt::format("export APEX application {} to {}", o.app.value_or(0),
                          apex_uri(o, kTimestampPlaceholder));
    s.detail =
        render({apex_export(o, apex_uri(o, kTimestampPlaceholder))},
               std::string("APEX_EXPORT.GET_APPLICATION, ") + (o.split_apex ? "split" : "single file") +
                   ", stored with DBMS_CLOUD.PUT_OBJECT; the timestamp is the schema export's");
    s.run = [run](StepContext& ctx) {
        std::string ts = prefix_timestamp(state(ctx.journal, "export.prefix", "export-schema"));
        auto r = run->source().execute(apex_export(run->options(), apex_uri(run->options(), ts)));
        std::string files = out_value(r, "file_names");
        if (files.empty()) throw Error(ErrorKind::sql, "APEX_EXPORT.GET_APPLICATION returned no files");
        set_state(ctx.journal, "apex.files", files);
        set_state(ctx.journal, "apex.source_workspace", out_value(r, "workspace"));
        ctx.progress.note(fmt::format("APEX export: {} file(s) from workspace {}", lines(files).size(),
                                      out_value(r, "workspace")));
    };
    return s;
}

Step apex_download_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "apex-download";
    s.title = "keep a local copy of the APEX export in " + o.download_dir;
    s.detail = render(
        {query("fetch_object.sql", {in("credential_name", o.credential),
                                    in("object_uri", apex_uri(o, kTimestampPlaceholder) + "f" +
                                                         std::to_string(o.app.value_or(0)) + ".sql")})},
        "once per exported file, paged; pieces are joined in order");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        std::string ts = prefix_timestamp(state(ctx.journal, "export.prefix", "export-schema"));
        for (const auto& name : lines(state(ctx.journal, "apex.files", "apex-export"))) {
            auto rows =
                run->source().query(query("fetch_object.sql", {in("credential_name", opt.credential),
                                                               in("object_uri", apex_uri(opt, ts) + name)}));
            std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
                return number(a, "piece_no") < number(b, "piece_no");
            });
            std::filesystem::path path = std::filesystem::path(opt.download_dir) / safe_relative(name);
            std::filesystem::create_directories(path.parent_path());
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            for (const auto& row : rows) out << text(row, "piece");
            if (!out) throw Error(ErrorKind::io, "cannot write " + path.string());
            ctx.progress.note("downloaded " + path.string());
        }
    };
    return s;
}

Step find_apex_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "find-apex";
    s.title = fmt::format("find the APEX export of application {} next to the dump set: {}",
                          o.app.value_or(0), apex_uri_shown(o));
    const std::string shown = apex_uri_shown(o);
    s.detail = render(
        {query("list_apex_files.sql", {in("credential_name", o.credential), in("location_uri", shown)})},
        "the export (or clone) that made the dump set with --app stored the application there, "
        "under the dump's timestamp; its files are journaled for apex-import");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        const std::string prefix = apex_prefix_of(state(ctx.journal, "export.prefix", "find-dump"), *opt.app);
        const auto files = apex_files(run->target(), opt, prefix);
        if (files.empty())
            throw Error(ErrorKind::not_found,
                        fmt::format("no APEX export of application {} next to the dump set: nothing under {}",
                                    *opt.app, opt.bucket_uri + prefix),
                        fmt::format("export the application with the schema (dbclone export --app {}), or "
                                    "import the schema only (without --app)",
                                    *opt.app));
        std::string names;
        for (const auto& f : files) names += (names.empty() ? "" : "\n") + f;
        set_state(ctx.journal, "apex.prefix", prefix);
        set_state(ctx.journal, "apex.files", names);
        ctx.progress.note(
            fmt::format("APEX export: {} file(s) in {}", files.size(), opt.bucket_uri + prefix));
    };
    return s;
}

Step apex_import_step(const RunPtr& run) {
    const auto& o = run->options();
    long app = o.app.value_or(0);
    Step s;
    s.id = "apex-import";
    s.title =
        fmt::format("install APEX application {} into workspace {} (parsing schema {}, application id {})",
                    app, o.workspace, o.target_schema,
                    o.app_id_mode == AppIdMode::auto_assign ? std::string("auto")
                    : o.app_id_mode == AppIdMode::reuse     ? std::to_string(app) + " (reused)"
                                                            : std::to_string(o.app_id));
    Statement install = apex_import(o, apex_uri_shown(o), "f" + std::to_string(app) + ".sql", app);
    // The job's action is the block above with its binds inlined; shown as
    // a placeholder, since a plan's bind comments hold one line each.
    s.detail =
        render({install,
                scheduler_job("DBCLONE_APEX_<YYYYMMDDHH24MISS>_<n>",
                              "<the block above, its binds inlined as literals>"),
                query("scheduler_job_state.sql", {in("job_name", "DBCLONE_APEX_<YYYYMMDDHH24MISS>_<n>")}),
                query("apex_application.sql", {in("workspace", o.workspace)})},
               "the install block runs as a Scheduler job (binds inlined), polled until it ends; the "
               "workspace's applications are listed before (journaled) and after it: the installed id "
               "is the one that appeared; file names are those the export step stored");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        const std::string uri = installed_apex_uri(opt, ctx.journal);
        std::string files = state(ctx.journal, "apex.files", "apex-export");
        auto app_ids = [&] {
            std::set<std::string> ids;
            for (const auto& row :
                 run->target().query(query("apex_application.sql", {in("workspace", opt.workspace)})))
                ids.insert(text(row, "application_id"));
            return ids;
        };
        // Before the job exists (journaled, so a resumed run compares with
        // the list from before the install, not with one that has it).
        if (!ctx.journal.get("apex.before")) {
            nlohmann::json before = nlohmann::json::array();
            for (const auto& id : app_ids()) before.push_back(id);
            ctx.journal.set("apex.before", before);
        }
        std::set<std::string> before;
        const nlohmann::json listed = ctx.journal.get("apex.before").value_or(nlohmann::json::array());
        for (const auto& id : listed) before.insert(id.get<std::string>());
        SchedulerOutcome job =
            run_scheduler_job_outcome(*run, run->target(), ctx, "apex.job",
                                      inline_binds(apex_import(opt, uri, files, opt.app.value_or(0))));
        if (!job.succeeded()) {
            // It ran and installed nothing: a resumed run starts a new job
            // (one still executing at the job timeout is waited for instead).
            ctx.journal.set("apex.job", nullptr);
            throw Error(ErrorKind::remote_job,
                        fmt::format("APEX install job {} {} (ORA-{:05d}): {}", job.job, job.status,
                                    job.error_code, job.info),
                        "see dba_scheduler_job_run_details on the target; --resume starts the install again");
        }
        std::vector<std::string> appeared;
        for (const auto& id : app_ids())
            if (!before.count(id)) appeared.push_back(id);
        std::string expected = opt.app_id_mode == AppIdMode::auto_assign ? std::string()
                               : opt.app_id_mode == AppIdMode::reuse     ? std::to_string(opt.app.value_or(0))
                                                                         : std::to_string(opt.app_id);
        if (appeared.size() != 1 || (!expected.empty() && appeared[0] != expected))
            throw Error(
                ErrorKind::sql,
                fmt::format("the install job succeeded but workspace {} lists {} new application(s){}",
                            opt.workspace, appeared.size(),
                            expected.empty() ? std::string() : ", expected " + expected),
                "look at the workspace in APEX; the install is not repeated on --resume");
        set_state(ctx.journal, "apex.installed", appeared[0]);
        run->result().summary.push_back("APEX application installed as " + appeared[0] + " in workspace " +
                                        opt.workspace);
    };
    return s;
}

}  // namespace dbclone::oracle
