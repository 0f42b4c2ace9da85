// The read-only preflight (`dbclone doctor`, and the first step of clone,
// refresh and export unless --no-preflight): every condition a real run
// would otherwise discover late, one report line each with its fix. Nothing
// here writes: only queries and DBMS_UTILITY.DB_VERSION.
#include <fmt/format.h>

#include <cstdlib>
#include <set>

#include "core/error.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/versions.h"

namespace dbclone::oracle {

namespace {

struct Preflight {
    Report& report;
    int failures = 0;
    std::string first_fix;

    void line(const std::string& name, CheckStatus status, const std::string& evidence,
              const std::string& fix = {}) {
        report.add("preflight", name, status, fix.empty() ? evidence : evidence + "; fix: " + fix);
        if (status == CheckStatus::fail && failures++ == 0) first_fix = fix;
    }
};

struct SideInfo {
    bool reachable = false;
    std::string version, compatible, apex;
};

SideInfo connect(Preflight& p, OrdsClient& db, const std::string& side) {
    SideInfo info;
    try {
        auto r = db.execute(db_version());
        info = {true, out_text(r, "version"), out_text(r, "compatible"), out_text(r, "apex_version")};
        p.line("ORDS on the " + side + " reachable and authenticated", CheckStatus::pass,
               fmt::format("database {} (COMPATIBLE {}), APEX {}", info.version, info.compatible, info.apex));
    } catch (const Error& e) {
        std::string up = side == "source" ? "SOURCE" : "TARGET";
        std::string fix =
            e.kind() == ErrorKind::authentication
                ? "set DBCLONE_ORACLE_" + up + "_PASSWORD (ADMIN) or the OAuth2 client of the " + side
            : e.kind() == ErrorKind::connection || e.kind() == ErrorKind::not_found
                ? "check the " + side + " URL (https://<host>/ords/admin) and that ORDS is up"
                : "run as ADMIN; the statement failed: " + e.message();
        p.line("ORDS on the " + side + " reachable and authenticated", CheckStatus::fail, e.message(), fix);
    }
    return info;
}

void roles(Preflight& p, OrdsClient& db, const std::string& side, const std::vector<std::string>& wanted) {
    std::set<std::string> have;
    try {
        for (const auto& r : db.query(query("preflight_roles.sql", {}))) have.insert(text(r, "role"));
    } catch (const Error& e) {
        p.line("roles of the " + side + " user", CheckStatus::warn, "could not be read: " + e.message());
        return;
    }
    std::string missing;
    for (const auto& w : wanted)
        if (!have.count(w) && !have.count("DBA") && !have.count("PDB_DBA"))
            missing += (missing.empty() ? "" : ", ") + w;
    if (missing.empty())
        p.line("privileges on the " + side, CheckStatus::pass, "Data Pump, DBA views and APEX roles present");
    else
        p.line("privileges on the " + side, CheckStatus::warn, "roles not enabled: " + missing,
               "run as ADMIN, or GRANT " + missing + " to the REST-enabled user");
}

void bucket(Preflight& p, OrdsClient& db, const OracleOptions& o, const std::string& side) {
    try {
        db.query(query("preflight_bucket.sql",
                       {in("credential_name", o.credential), in("bucket_uri", o.bucket_uri)}));
        p.line("credential " + o.credential + " on the " + side + " can list the bucket", CheckStatus::pass,
               "DBMS_CLOUD.LIST_OBJECTS answered");
    } catch (const OracleSqlError& e) {
        // ORA-20004/ORA-20401: no such credential, or object storage refused it.
        bool missing = e.message().find("does not exist") != std::string::npos || e.code() == 20004;
        p.line("credential " + o.credential + " on the " + side + " can list the bucket",
               missing ? CheckStatus::warn : CheckStatus::fail, e.message(),
               missing ? "the credential step creates it from DBCLONE_OCI_USER / DBCLONE_OCI_AUTH_TOKEN"
                       : "check the auth token (DBCLONE_OCI_AUTH_TOKEN), its user and the bucket URI");
    }
}

// Whether the target can hold the schema: free = what its data files may
// grow to less what all segments use (plus, for a refresh, the target
// schema's own segments, which the load replaces); need = the source
// schema's segments (the dump's estimate; the import rebuilds indexes too).
void storage(Preflight& p, OrdsClient& db, const OracleOptions& o, double need) {
    const std::string name = "free storage on the target";
    std::vector<Row> rows;
    try {
        rows = db.query(query("target_storage.sql", {in("schema", o.target_schema)}));
    } catch (const Error& e) {
        p.line(name, CheckStatus::warn, "could not be read (DBA_DATA_FILES, DBA_SEGMENTS): " + e.message(),
               "run as ADMIN");
        return;
    }
    if (rows.empty()) return;
    auto bytes = [&](const std::string& column) { return std::atof(text(rows[0], column).c_str()); };
    double max = bytes("max_bytes"), used = bytes("used_bytes");
    double reclaimed = o.command == Command::refresh ? bytes("schema_bytes") : 0;
    double free = max - used + reclaimed;
    const double gib = 1024.0 * 1024 * 1024;
    std::string evidence = fmt::format(
        "{:.2f} GiB free of {:.2f} GiB{}; the schema needs about {:.2f} GiB", free / gib, max / gib,
        reclaimed > 0 ? " (counting the refreshed schema's own segments)" : "", need / gib);
    const std::string fix =
        "add storage to the target Autonomous Database (OCI console: Manage resource allocation, or enable "
        "storage auto scaling) or free space there";
    if (free < need)
        p.line(name, CheckStatus::fail, evidence, fix);
    else if (free < need * 1.2)
        p.line(name, CheckStatus::warn, evidence + " (less than 20% to spare)", fix);
    else
        p.line(name, CheckStatus::pass, evidence);
}

}  // namespace

void run_preflight(OracleRun& run, Report& report, bool has_target) {
    const auto& o = run.options();
    Preflight p{report, 0, {}};
    SideInfo src = connect(p, run.source(), "source");
    SideInfo tgt;
    if (has_target) tgt = connect(p, run.target(), "target");
    double source_bytes = -1;  // the source schema's segments, once read
    if (src.reachable) {
        roles(p, run.source(), "source", {"DATAPUMP_CLOUD_EXP"});
        bucket(p, run.source(), o, "source");
        try {
            auto size = run.source().query(query("schema_size.sql", {in("schema", o.source_schema)}));
            std::string bytes = size.empty() ? "0" : text(size[0], "bytes");
            source_bytes = std::atof(bytes.c_str());
            p.line("schema " + o.source_schema + " on the source",
                   bytes == "0" ? CheckStatus::fail : CheckStatus::pass,
                   bytes + " bytes of segments (the dump is about as large, less indexes)",
                   bytes == "0" ? "check --schema: no segments belong to " + o.source_schema : "");
        } catch (const Error& e) {
            p.line("schema size on the source", CheckStatus::warn, "could not be read: " + e.message());
        }
    }
    if (has_target && tgt.reachable) {
        roles(p, run.target(), "target",
              o.app ? std::vector<std::string>{"DATAPUMP_CLOUD_IMP", "APEX_ADMINISTRATOR_ROLE"}
                    : std::vector<std::string>{"DATAPUMP_CLOUD_IMP"});
        bucket(p, run.target(), o, "target");
        if (source_bytes > 0) storage(p, run.target(), o, source_bytes);
    }
    if (has_target && src.reachable && tgt.reachable) {
        std::string version = datapump_version(src.compatible, tgt.compatible);
        p.line("database versions", CheckStatus::pass,
               fmt::format("source COMPATIBLE {}, target COMPATIBLE {}: Data Pump version {}", src.compatible,
                           tgt.compatible, version));
        if (o.app) {
            bool ok = compare_versions(src.apex, tgt.apex, 2) <= 0;
            p.line("APEX versions", ok ? CheckStatus::pass : CheckStatus::fail,
                   "source APEX " + src.apex + ", target APEX " + tgt.apex,
                   ok ? "" : "upgrade APEX on the target, or clone without --app");
        }
        if (o.command == Command::clone || o.command == Command::doctor) {
            // doctor does not know whether a clone or a refresh follows: a
            // collision is a warning there, a failure before a clone.
            const CheckStatus collision = o.command == Command::clone ? CheckStatus::fail : CheckStatus::warn;
            auto user = run.target().query(query("user_exists.sql", {in("schema", o.target_schema)}));
            if (!user.empty() && !o.reuse_user)
                p.line("target schema " + o.target_schema + " is new", collision, "the user exists",
                       "pass --reuse-user, use refresh, or choose another --schema S:D");
            else
                p.line("target schema " + o.target_schema + " is new",
                       user.empty() ? CheckStatus::pass : CheckStatus::warn,
                       user.empty() ? "no such user" : "exists; --reuse-user keeps it");
            if (o.app) {
                auto ws = run.target().query(query(
                    "workspace_check.sql", {in("schema", o.target_schema), in("workspace", o.workspace)}));
                if (!ws.empty() && number(ws[0], "schema_mapped") == 0)
                    p.line("workspace " + o.workspace, collision,
                           "exists on the target without schema " + o.target_schema,
                           "choose another --workspace");
                else
                    p.line("workspace " + o.workspace, CheckStatus::pass,
                           ws.empty() ? "will be created" : "exists with the schema");
                if (o.app_id_mode != AppIdMode::auto_assign) {
                    long id = o.app_id_mode == AppIdMode::reuse ? *o.app : o.app_id;
                    auto apps = run.target().query(query("app_exists.sql", {in_number("app_id", id)}));
                    if (!apps.empty())
                        p.line(fmt::format("application id {} free on the target", id), collision,
                               "used by workspace " + text(apps[0], "workspace"),
                               "pass --app-id auto or --app-id N with a free id");
                    else
                        p.line(fmt::format("application id {} free on the target", id), CheckStatus::pass,
                               "free");
                }
            }
        }
    }
    if (p.failures > 0)
        throw Error(ErrorKind::unsupported,
                    fmt::format("preflight found {} problem(s); nothing was changed", p.failures),
                    p.first_fix.empty() ? "see the preflight lines of the report" : p.first_fix);
}

Step preflight_step(const RunPtr& run, bool has_target) {
    const auto& o = run->options();
    Step s;
    s.id = "preflight";
    s.title =
        "read-only preflight: ORDS, versions, privileges, credential and bucket, collisions (--no-preflight "
        "skips it)";
    std::vector<Statement> shown = {
        db_version(), query("preflight_roles.sql", {}),
        query("preflight_bucket.sql", {in("credential_name", o.credential), in("bucket_uri", o.bucket_uri)}),
        query("schema_size.sql", {in("schema", o.source_schema)})};
    if (has_target) shown.push_back(query("target_storage.sql", {in("schema", o.target_schema)}));
    if (has_target && (o.command == Command::clone || o.command == Command::doctor))
        shown.push_back(query("user_exists.sql", {in("schema", o.target_schema)}));
    s.detail = render(shown,
                      "queries only; every problem is one report line with its fix, and any failure stops "
                      "the run before it changes anything");
    s.rerun_on_resume = true;
    s.run = [run, has_target](StepContext&) { run_preflight(*run, run->result().report, has_target); };
    return s;
}

}  // namespace dbclone::oracle
