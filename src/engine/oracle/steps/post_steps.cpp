// Runbook §9: what Data Pump and the APEX import do not carry over. Scheduler
// jobs of the schema are disabled on the target as soon as the import job
// has finished (they would start running prod work on pre-prod); the
// catalogs are read through DBA_* views (ALL_* hides another schema's private
// links and credentials from ADMIN); everything else a person must re-create is listed:
// database links (passwords do not travel), network ACLs, credentials and the
// APEX users of the source workspace, which --copy-apex-users re-creates.
#include <fmt/format.h>

#include "core/error.h"
#include "core/log.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/oracle_options.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/steps/row_counts.h"

namespace dbclone::oracle {

namespace {

std::string source_workspace(StepContext& ctx) {
    auto v = ctx.journal.get("apex.source_workspace");
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace

Step disable_jobs_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "disable-jobs";
    s.title = "disable the scheduler jobs of " + o.target_schema +
              " right after the import, running ones too (--keep-jobs keeps them)";
    s.detail = render({query("scheduler_jobs.sql", {in("schema", o.target_schema)}),
                       disable_job("\"" + o.target_schema + "\".\"<job>\"")},
                      "one DISABLE per enabled job, so that each failure is reported and the others still "
                      "run");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        int disabled = 0;
        std::vector<std::string> failed;
        for (const auto& j :
             run->target().query(query("scheduler_jobs.sql", {in("schema", opt.target_schema)}))) {
            if (text(j, "enabled") != "TRUE") continue;
            std::string name = quote_qualified(text(j, "owner"), text(j, "job_name"));
            try {
                run->target().execute(disable_job(name));
                ++disabled;
            } catch (const OracleSqlError& e) {
                failed.push_back(name);
                run->result().report.add("jobs", "disable " + name, CheckStatus::fail, e.message());
                run->result().warnings.push_back("scheduler job " + name + " could not be disabled: " +
                                                 e.message() + "; disable it by hand");
            }
        }
        ctx.progress.note(fmt::format("disabled {} scheduler jobs{}", disabled,
                                      failed.empty() ? "" : fmt::format(", {} failed", failed.size())));
    };
    return s;
}

Step manual_report_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "manual-report";
    s.title = "list what a person must still re-create (database links, ACLs, credentials, APEX users)";
    s.detail = render({query("db_links.sql", {in("schema", o.source_schema)}),
                       query("host_aces.sql", {in("schema", o.source_schema)}),
                       query("credentials.sql", {in("schema", o.source_schema)}),
                       query("apex_users.sql", {in("workspace", "<workspace of the source application>")})},
                      "all on the source; read only");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto& src = run->source();
        auto& warnings = run->result().warnings;
        for (const auto& r : src.query(query("db_links.sql", {in("schema", opt.source_schema)})))
            warnings.push_back(
                fmt::format("database link {} (user {}, host {}): re-create on the target with "
                            "IDENTIFIED BY; passwords are not exported",
                            text(r, "db_link"), text(r, "username"), text(r, "host")));
        try {
            for (const auto& r : src.query(query("host_aces.sql", {in("schema", opt.source_schema)})))
                warnings.push_back(
                    fmt::format("network ACL: {} ports {}-{} privilege {} for {}: re-apply with "
                                "DBMS_NETWORK_ACL_ADMIN.APPEND_HOST_ACE",
                                text(r, "host"), text(r, "lower_port"), text(r, "upper_port"),
                                text(r, "privilege"), opt.target_schema));
        } catch (const OracleSqlError& e) {
            warnings.push_back("network ACLs could not be read on the source (" + e.message() +
                               "); check them by hand");
        }
        for (const auto& r : src.query(query("credentials.sql", {in("schema", opt.source_schema)})))
            warnings.push_back(
                fmt::format("credential {}.{} (user {}): re-create with DBMS_CLOUD.CREATE_CREDENTIAL",
                            opt.target_schema, text(r, "credential_name"), text(r, "username")));
        std::string ws = source_workspace(ctx);
        if (ws.empty()) return;
        auto users = src.query(query("apex_users.sql", {in("workspace", ws)}));
        ctx.journal.set("apex.source_users", users);
        if (!opt.copy_apex_users)
            for (const auto& r : users)
                warnings.push_back(
                    fmt::format("APEX user {} ({}) of workspace {}: re-create in {} "
                                "(or run with --copy-apex-users)",
                                text(r, "user_name"), text(r, "email"), ws, opt.workspace));
    };
    return s;
}

Step copy_apex_users_step(const RunPtr& run) {
    const auto& o = run->options();
    ApexUser sample{"<user>", "<email>", "<random, never stored>", "", "", "Y"};
    Step s;
    s.id = "copy-apex-users";
    s.title = "re-create the source workspace's APEX users in " + o.workspace;
    s.detail = render(
        {create_apex_user(o.workspace, sample, {})},
        "per user listed by manual-report, except those that exist; CREATE_USER requires a password, so "
        "each gets a random one that is not stored and must change it (an admin resets it)");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto users = ctx.journal.get("apex.source_users").value_or(nlohmann::json::array());
        std::set<std::string> existing;
        for (const auto& r : run->target().query(query("apex_users.sql", {in("workspace", opt.workspace)})))
            existing.insert(lower(text(r, "user_name")));
        int created = 0;
        for (const auto& u : users) {
            std::string name = text(u, "user_name");
            if (existing.count(lower(name))) continue;
            ApexUser user{name,
                          text(u, "email"),
                          random_password(),
                          text(u, "is_admin") == "Yes" ? "ADMIN" : "",
                          opt.target_schema,
                          "Y"};
            create_apex_user_adaptively(run->target(), opt.workspace, user);
            ++created;
        }
        ctx.progress.note(fmt::format("{} APEX users created without a known password", created));
        if (created)
            run->result().warnings.push_back(fmt::format(
                "{} APEX users were created with random passwords: reset them in Workspace Administration",
                created));
    };
    return s;
}

}  // namespace dbclone::oracle
