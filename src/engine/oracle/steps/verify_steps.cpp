// Runbook §10, the verification checklist, as Report checks with evidence.
// Items that need a browser (logging in, rendering a page) are checked as far
// as the catalog allows and say what is left for a person.
#include <fmt/format.h>

#include "core/error.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/steps/row_counts.h"

namespace dbclone::oracle {

namespace {

void check_datapump(OracleRun& run, Report& report) {
    auto rows = run.target().query(query("datapump_jobs.sql", {}));
    std::string list;
    for (const auto& r : rows)
        list += (list.empty() ? "" : ", ") + text(r, "job_name") + " " + text(r, "state");
    report.add("jobs", "no Data Pump job left in user_datapump_jobs",
               rows.empty() ? CheckStatus::pass : CheckStatus::warn, rows.empty() ? "no rows" : list);
}

void check_invalid(OracleRun& run, Report& report) {
    const auto& o = run.options();
    auto rows = run.target().query(query("invalid_objects.sql", {in("schema", o.target_schema)}));
    std::string list;
    for (const auto& r : rows)
        list += (list.empty() ? "" : ", ") + text(r, "object_type") + " " + text(r, "object_name");
    report.add("invalid objects", "no INVALID object in " + o.target_schema,
               rows.empty() ? CheckStatus::pass : CheckStatus::fail,
               rows.empty() ? "0 invalid objects" : fmt::format("{} invalid: {}", rows.size(), list));
}

void check_stats(OracleRun& run, Report& report) {
    const auto& o = run.options();
    auto rows = run.target().query(query("stats_state.sql", {in("schema", o.target_schema)}));
    double total = rows.empty() ? 0 : number(rows[0], "tables_total");
    double analyzed = rows.empty() ? 0 : number(rows[0], "tables_analyzed");
    report.add("statistics", "GATHER_SCHEMA_STATS has run",
               analyzed >= total ? CheckStatus::pass : CheckStatus::fail,
               fmt::format("{:.0f} of {:.0f} tables analyzed, oldest {}", analyzed, total,
                           rows.empty() ? "" : text(rows[0], "oldest")));
}

void check_workspace(OracleRun& run, Report& report) {
    const auto& o = run.options();
    auto users = run.target().query(query("apex_users.sql", {in("workspace", o.workspace)}));
    std::string evidence = "no such user";
    CheckStatus status = CheckStatus::fail;
    for (const auto& u : users)
        if (lower(text(u, "user_name")) == lower(o.apex_admin_user)) {
            bool locked = text(u, "account_locked") == "Yes";
            status = locked ? CheckStatus::fail : CheckStatus::warn;
            evidence = fmt::format(
                "{} exists (admin {}, locked {}); log in at /ords/r/{} to finish this item",
                text(u, "user_name"), text(u, "is_admin"), text(u, "account_locked"), lower(o.workspace));
        }
    report.add("apex", "workspace admin can log in to " + o.workspace, status, evidence);
}

void check_application(OracleRun& run, Report& report, const std::string& installed) {
    const auto& o = run.options();
    auto apps = run.target().query(query("apex_application.sql", {in("workspace", o.workspace)}));
    CheckStatus status = CheckStatus::fail;
    std::string evidence = "application " + installed + " not found in " + o.workspace;
    for (const auto& a : apps)
        if (text(a, "application_id") == installed) {
            bool ok = text(a, "owner") == o.target_schema && number(a, "pages") > 0;
            status = ok ? CheckStatus::warn : CheckStatus::fail;
            evidence = fmt::format(
                "application {} '{}' parsing schema {}, {:.0f} pages; open a page that reads data "
                "to finish this item",
                installed, text(a, "application_name"), text(a, "owner"), number(a, "pages"));
        }
    report.add("apex", "App Builder lists the imported application", status, evidence);
}

void check_jobs(OracleRun& run, Report& report) {
    const auto& o = run.options();
    std::string enabled;
    for (const auto& j : run.target().query(query("scheduler_jobs.sql", {in("schema", o.target_schema)})))
        if (text(j, "enabled") == "TRUE") enabled += (enabled.empty() ? "" : ", ") + text(j, "job_name");
    CheckStatus status = enabled.empty() ? CheckStatus::pass
                         : o.keep_jobs   ? CheckStatus::warn
                                         : CheckStatus::fail;
    report.add(
        "jobs", "scheduler jobs of " + o.target_schema + " are DISABLED", status,
        enabled.empty() ? "no enabled job" : "enabled: " + enabled + (o.keep_jobs ? " (--keep-jobs)" : ""));
}

void check_db_links(OracleRun& run, Report& report) {
    const auto& o = run.options();
    auto links = run.source().query(query("db_links.sql", {in("schema", o.source_schema)}));
    if (links.empty()) {
        report.add("links", "database links re-created", CheckStatus::pass,
                   "the source schema has no database links");
        return;
    }
    std::string list;
    for (const auto& l : links) list += (list.empty() ? "" : ", ") + text(l, "db_link");
    report.add("links", "database links re-created", CheckStatus::warn,
               "re-create with credentials on the target, then test: " + list);
}

}  // namespace

Step verify_step(const RunPtr& run, bool after_refresh, bool has_source) {
    const auto& o = run->options();
    Step s;
    s.id = "verify";
    s.title = "verification checklist (runbook §10)";
    std::vector<Statement> shown = {query("datapump_jobs.sql", {}),
                                    query("invalid_objects.sql", {in("schema", o.target_schema)}),
                                    query("stats_state.sql", {in("schema", o.target_schema)}),
                                    query("row_counts.sql", {in("schema", o.target_schema)}),
                                    query("apex_users.sql", {in("workspace", o.workspace)}),
                                    query("apex_application.sql", {in("workspace", o.workspace)}),
                                    query("scheduler_jobs.sql", {in("schema", o.target_schema)})};
    if (has_source) shown.push_back(query("db_links.sql", {in("schema", o.source_schema)}));
    s.detail = render(
        shown,
        has_source
            ? "row counts: the dump's (export log) against the import log when this run made the dump, "
              "else live counts on both sides (a difference is then a warning: the source may have "
              "changed); database links are read on the source"
            : "row counts: the dump's (its export log) against the import log; no source is read");
    s.run = [run, after_refresh, has_source](StepContext& ctx) {
        Report& report = run->result().report;
        report.set_title(!has_source     ? "import verification"
                         : after_refresh ? "refresh verification"
                                         : "clone verification");
        check_datapump(*run, report);
        check_invalid(*run, report);
        check_stats(*run, report);
        verify_row_counts(*run, ctx.journal, report);
        const auto& opt = run->options();
        if (opt.app) {
            check_workspace(*run, report);
            auto installed = ctx.journal.get("apex.installed");
            std::string id = installed && installed->is_string()         ? installed->get<std::string>()
                             : opt.app_id_mode == AppIdMode::explicit_id ? std::to_string(opt.app_id)
                                                                         : std::to_string(*opt.app);
            check_application(*run, report, id);
        }
        check_jobs(*run, report);
        if (has_source) check_db_links(*run, report);
    };
    return s;
}

}  // namespace dbclone::oracle
