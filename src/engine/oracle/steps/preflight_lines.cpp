// The preflight's shared pieces (preflight.h): one report line each, with
// its fix. Queries and DBMS_UTILITY.DB_VERSION only.
#include <fmt/format.h>

#include <cstdlib>
#include <set>

#include "core/error.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/preflight.h"

namespace dbclone::oracle::preflight {

void Lines::line(const std::string& name, CheckStatus status, const std::string& evidence,
                 const std::string& fix) {
    report.add("preflight", name, status, fix.empty() ? evidence : evidence + "; fix: " + fix);
    if (status == CheckStatus::fail && failures++ == 0) first_fix = fix;
}

void Lines::stop_if_failed() const {
    if (failures > 0)
        throw Error(ErrorKind::unsupported,
                    fmt::format("preflight found {} problem(s); nothing was changed", failures),
                    first_fix.empty() ? "see the preflight lines of the report" : first_fix);
}

SideInfo connect(Lines& p, OrdsClient& db, const std::string& side) {
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

void roles(Lines& p, OrdsClient& db, const std::string& side, const std::vector<std::string>& wanted) {
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

bool bucket(Lines& p, OrdsClient& db, const OracleOptions& o, const std::string& side) {
    const std::string name = "credential " + o.credential + " on the " + side + " can list the bucket";
    try {
        db.query(query("preflight_bucket.sql",
                       {in("credential_name", o.credential), in("bucket_uri", o.bucket_uri)}));
        p.line(name, CheckStatus::pass, "DBMS_CLOUD.LIST_OBJECTS answered");
        return true;
    } catch (const OracleSqlError& e) {
        // ORA-20004: the credential does not exist (DBMS_CLOUD's documented
        // code); anything else (ORA-20401 ...): object storage refused it.
        bool missing = e.code() == 20004;
        p.line(name, missing ? CheckStatus::warn : CheckStatus::fail, e.message(),
               missing ? "the credential step creates it from DBCLONE_OCI_USER / DBCLONE_OCI_AUTH_TOKEN"
                       : "check the auth token (DBCLONE_OCI_AUTH_TOKEN), its user and the bucket URI");
        return false;
    }
}

void storage(Lines& p, OrdsClient& db, const OracleOptions& o, double need, bool reclaimed_counts,
             const std::string& need_what) {
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
    double reclaimed = reclaimed_counts ? bytes("schema_bytes") : 0;
    double free = max - used + reclaimed;
    const double gib = 1024.0 * 1024 * 1024;
    std::string evidence = fmt::format(
        "{:.2f} GiB free of {:.2f} GiB{}; {} about {:.2f} GiB", free / gib, max / gib,
        reclaimed > 0 ? " (counting the reloaded schema's own segments)" : "", need_what, need / gib);
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

void collisions(Lines& p, OrdsClient& db, const OracleOptions& o, CheckStatus collision) {
    auto user = db.query(query("user_exists.sql", {in("schema", o.target_schema)}));
    if (!user.empty() && !o.reuse_user)
        p.line("target schema " + o.target_schema + " is new", collision, "the user exists",
               "pass --reuse-user, use refresh, or choose another --schema S:D");
    else
        p.line("target schema " + o.target_schema + " is new",
               user.empty() ? CheckStatus::pass : CheckStatus::warn,
               user.empty() ? "no such user" : "exists; --reuse-user keeps it");
    if (!o.app) return;
    auto ws =
        db.query(query("workspace_check.sql", {in("schema", o.target_schema), in("workspace", o.workspace)}));
    if (!ws.empty() && number(ws[0], "schema_mapped") == 0)
        p.line("workspace " + o.workspace, collision,
               "exists on the target without schema " + o.target_schema, "choose another --workspace");
    else
        p.line("workspace " + o.workspace, CheckStatus::pass,
               ws.empty() ? "will be created" : "exists with the schema");
    if (o.app_id_mode == AppIdMode::auto_assign) return;
    long id = o.app_id_mode == AppIdMode::reuse ? *o.app : o.app_id;
    auto apps = db.query(query("app_exists.sql", {in_number("app_id", id)}));
    if (!apps.empty())
        p.line(fmt::format("application id {} free on the target", id), collision,
               "used by workspace " + text(apps[0], "workspace"),
               "pass --app-id auto or --app-id N with a free id");
    else
        p.line(fmt::format("application id {} free on the target", id), CheckStatus::pass, "free");
}

std::vector<Statement> first_statements(const OracleOptions& o) {
    return {
        db_version(), query("preflight_roles.sql", {}),
        query("preflight_bucket.sql", {in("credential_name", o.credential), in("bucket_uri", o.bucket_uri)})};
}

}  // namespace dbclone::oracle::preflight
