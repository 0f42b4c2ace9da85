// Runbook §4 (schema user), §5 (workspace and its admin) and §6.1
// (compile, invalid objects, statistics, row counts against the source).
#include <fmt/format.h>

#include <map>
#include <optional>

#include "core/error.h"
#include "core/log.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/steps/row_counts.h"

namespace dbclone::oracle {

Step target_user_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "target-user";
    s.title = "create the schema user " + o.target_schema + " on the target" +
              (o.reuse_user ? " (an existing one is reused)" : " (an existing one is an error)");
    s.detail = render({query("user_exists.sql", {in("schema", o.target_schema)}), create_user(o, "<secret>"),
                       grant_user(o)},
                      "password from DBCLONE_ORACLE_SCHEMA_PASSWORD, else a random one that is not stored");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto existing = run->target().query(query("user_exists.sql", {in("schema", opt.target_schema)}));
        bool created_by_us = ctx.journal.get("target.user.created").has_value();
        if (!existing.empty() && !created_by_us) {
            if (!opt.reuse_user)
                throw Error(ErrorKind::target_exists,
                            "user " + opt.target_schema + " already exists on the target",
                            "pass --reuse-user to import into it, or choose another --schema S:D");
            ctx.progress.note("reusing existing user " + opt.target_schema);
        }
        if (existing.empty()) {
            std::string password = find_secret(opt, "DBCLONE_ORACLE_SCHEMA_PASSWORD");
            if (password.empty()) password = random_password();
            validate_password(password, "DBCLONE_ORACLE_SCHEMA_PASSWORD");
            run->target().execute(create_user(opt, password));
            ctx.journal.set("target.user.created", true);
        }
        run->target().execute(grant_user(opt));
    };
    return s;
}

Step workspace_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "workspace";
    s.title = "create APEX workspace " + o.workspace + " with primary schema " + o.target_schema;
    s.detail =
        render({add_workspace(o),
                query("workspace_check.sql", {in("schema", o.target_schema), in("workspace", o.workspace)})},
               "skipped when the workspace already exists with this schema; checked afterwards");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto check = [&] {
            return run->target().query(query(
                "workspace_check.sql", {in("schema", opt.target_schema), in("workspace", opt.workspace)}));
        };
        auto rows = check();
        if (!rows.empty()) {
            if (number(rows[0], "schema_mapped") > 0) {
                ctx.progress.note("workspace " + opt.workspace + " already exists with schema " +
                                  opt.target_schema);
                return;
            }
            throw Error(
                ErrorKind::target_exists,
                "workspace " + opt.workspace + " exists on the target without schema " + opt.target_schema,
                "choose another --workspace");
        }
        run->target().execute(add_workspace(opt));
        rows = check();
        if (rows.empty() || number(rows[0], "schema_mapped") == 0)
            throw Error(ErrorKind::sql, "ADD_WORKSPACE returned but workspace " + opt.workspace +
                                            " with schema " + opt.target_schema + " is not visible");
    };
    return s;
}

namespace {

// The CREATE_USER parameter names of one overload that has the two the
// runbook calls the minimum; the overload with most parameters wins.
std::set<std::string> create_user_signature(OrdsClient& db) {
    std::map<std::string, std::set<std::string>> overloads;
    for (const auto& row : db.query(query("create_user_signature.sql", {})))
        overloads[text(row, "overload")].insert(text(row, "argument_name"));
    std::set<std::string> best;
    for (const auto& [_, names] : overloads)
        if (names.count("P_USER_NAME") && names.count("P_WEB_PASSWORD") && names.size() > best.size())
            best = names;
    return best;
}

std::optional<Row> apex_user(OrdsClient& db, const std::string& workspace, const std::string& user) {
    for (const auto& row : db.query(query("apex_users.sql", {in("workspace", workspace)})))
        if (lower(text(row, "user_name")) == lower(user)) return row;
    return std::nullopt;
}

}  // namespace

void create_apex_user_adaptively(OrdsClient& db, const std::string& workspace, const ApexUser& user) {
    std::set<std::string> supported = create_user_signature(db);
    try {
        db.execute(create_apex_user(workspace, user, supported));
    } catch (const OracleSqlError& e) {
        if (!e.mentions("PLS-00306")) throw;
        // The runbook's advice: trim the call to the minimum the API has.
        // A workspace admin keeps p_developer_privs, without which it would
        // silently become an end user (checked afterwards in any case).
        log::warn(
            "APEX_UTIL.CREATE_USER rejected the call (PLS-00306); retrying with p_user_name + "
            "p_web_password{}",
            user.developer_privs.empty() ? "" : " + p_developer_privs");
        std::set<std::string> minimum = {"P_USER_NAME", "P_WEB_PASSWORD"};
        if (!user.developer_privs.empty()) minimum.insert("P_DEVELOPER_PRIVS");
        db.execute(create_apex_user(workspace, user, minimum));
    }
}

Step workspace_admin_step(const RunPtr& run) {
    const auto& o = run->options();
    ApexUser admin{o.apex_admin_user, o.apex_admin_email, "<secret>", "ADMIN", o.target_schema, "N"};
    Step s;
    s.id = "workspace-admin";
    s.title = "create workspace admin '" + o.apex_admin_user + "' in " + o.workspace;
    s.detail =
        render({query("create_user_signature.sql", {}), create_apex_user(o.workspace, admin, {}),
                query("apex_users.sql", {in("workspace", o.workspace)})},
               "parameters missing from the live CREATE_USER signature are left out; on PLS-00306 the call "
               "is retried with p_user_name, p_web_password and p_developer_privs; the user must then be a "
               "workspace admin (is_admin). Password from DBCLONE_APEX_ADMIN_PASSWORD");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto is_admin = [&](const Row& row) {
            if (text(row, "is_admin") == "Yes") return;
            throw Error(ErrorKind::sql,
                        "APEX user " + opt.apex_admin_user + " in " + opt.workspace +
                            " is not a workspace administrator",
                        "make it one in Administration > Manage Users, or pass another --apex-admin");
        };
        if (auto existing = apex_user(run->target(), opt.workspace, opt.apex_admin_user)) {
            is_admin(*existing);
            ctx.progress.note("APEX user " + opt.apex_admin_user + " already exists in " + opt.workspace);
            return;
        }
        ApexUser user{
            opt.apex_admin_user,
            opt.apex_admin_email,
            require_secret(opt, "DBCLONE_APEX_ADMIN_PASSWORD", "the password of the workspace admin"),
            "ADMIN",
            opt.target_schema,
            "N"};
        create_apex_user_adaptively(run->target(), opt.workspace, user);
        // SET_WORKSPACE fails silently without the right role (reference §0.6).
        auto created = apex_user(run->target(), opt.workspace, opt.apex_admin_user);
        if (!created)
            throw Error(ErrorKind::sql,
                        "CREATE_USER returned but user " + opt.apex_admin_user + " is not in workspace " +
                            opt.workspace,
                        "ADMIN may lack APEX_ADMINISTRATOR_ROLE; check USER_ROLE_PRIVS");
        is_admin(*created);
    };
    return s;
}

Step compile_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "compile";
    s.title = "compile " + o.target_schema + " and list invalid objects";
    s.detail = render({scheduler_job("DBCLONE_COMPILE_<timestamp>", compile_action(o.target_schema)),
                       query("invalid_objects.sql", {in("schema", o.target_schema)})});
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        run_scheduler_job(*run, run->target(), ctx, "compile.job", compile_action(opt.target_schema));
        auto invalid = run->target().query(query("invalid_objects.sql", {in("schema", opt.target_schema)}));
        for (const auto& row : invalid)
            run->result().warnings.push_back("invalid after compile: " + text(row, "object_type") + " " +
                                             opt.target_schema + "." + text(row, "object_name"));
        ctx.progress.note(fmt::format("{} invalid objects", invalid.size()));
    };
    return s;
}

Step stats_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "stats";
    s.title = "gather statistics of " + o.target_schema + " (excluded from the export)";
    s.detail = render({scheduler_job("DBCLONE_STATS_<timestamp>", stats_action(o.target_schema))});
    s.run = [run](StepContext& ctx) {
        run_scheduler_job(*run, run->target(), ctx, "stats.job", stats_action(run->options().target_schema));
    };
    return s;
}

Step row_count_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "row-counts";
    s.title = "rows per table: the dump's (export log) against what the import loaded (import log)";
    s.detail =
        "-- no COUNT(*): both counts come from the Data Pump logs read in the export-log and import-log "
        "steps, so a big schema cannot time out here\n";
    (void)o;
    s.run = [run](StepContext& ctx) {
        Report scratch;
        auto dump = journaled_counts(ctx.journal, "export.rows");
        auto imported = journaled_counts(ctx.journal, "import.rows");
        if (!dump || !imported) {
            run->result().warnings.push_back("row counts: the Data Pump logs gave no per-table rows");
            return;
        }
        compare_counts(scratch, *dump, "dump", *imported, "import", CheckStatus::fail);
        for (const auto& c : scratch.checks())
            if (c.status != CheckStatus::pass)
                run->result().warnings.push_back("rows " + c.name + ": " + c.evidence);
        ctx.progress.note(fmt::format("{} tables compared", scratch.checks().size()));
    };
    return s;
}

}  // namespace dbclone::oracle
