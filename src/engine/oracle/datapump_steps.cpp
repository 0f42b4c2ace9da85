// Runbook §1 (credential), §2 (schema export), §2.1 (monitor), §2.2 (ship
// the log and check it), §6 and §8.2 step B (import / data-only refresh).
#include <fmt/format.h>

#include "core/error.h"
#include "core/log.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/oracle_steps.h"

namespace dbclone::oracle {

std::string text(const Row& row, const std::string& column) {
    if (!row.contains(column) || row[column].is_null()) return {};
    return row[column].is_string() ? row[column].get<std::string>() : row[column].dump();
}

double number(const Row& row, const std::string& column) {
    if (!row.contains(column) || row[column].is_null()) return 0;
    if (row[column].is_number()) return row[column].get<double>();
    try {
        return std::stod(row[column].get<std::string>());
    } catch (const std::exception&) {
        return 0;
    }
}

namespace {

std::string out_text(const StatementResult& r, const std::string& name) {
    auto it = r.out.find(name);
    if (it == r.out.end() || it->second.is_null()) return {};
    return it->second.is_string() ? it->second.get<std::string>() : it->second.dump();
}

std::string require_out(const StatementResult& r, const std::string& name) {
    std::string v = out_text(r, name);
    if (v.empty()) throw Error(ErrorKind::sql, "the server returned no value for out bind :" + name);
    return v;
}

OrdsClient& db(const RunPtr& run, Side side) {
    return side == Side::source ? run->source() : run->target();
}

}  // namespace

Step credential_step(const RunPtr& run, Side side) {
    const auto& o = run->options();
    std::string where = side == Side::source ? "source" : "target";
    Step s;
    s.id = where + "-credential";
    s.title = "object-storage credential " + o.credential + " on the " + where + " (create or reuse)";
    s.detail = render({create_credential(o, "<DBCLONE_OCI_USER>", "<secret>")},
                      "auth token from DBCLONE_OCI_AUTH_TOKEN; an existing credential is reused");
    s.run = [run, side, where](StepContext& ctx) {
        const auto& opt = run->options();
        std::string user = require_secret(opt, "DBCLONE_OCI_USER", "the OCI user name of the auth token");
        std::string token =
            require_secret(opt, "DBCLONE_OCI_AUTH_TOKEN", "the OCI auth token for object storage");
        auto r = db(run, side).execute(create_credential(opt, user, token));
        ctx.progress.note(fmt::format("credential {} on the {}: {}", opt.credential, where,
                                      out_text(r, "existed") == "0" ? "created" : "reused"));
    };
    return s;
}

Step export_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "export-schema";
    s.title = fmt::format("Data Pump export of {} to {}{}", o.source_schema, o.bucket_uri,
                          schema_prefix(o, kTimestampPlaceholder));
    s.detail = render({export_schema(o)}, "the job is started and detached; the next step polls it");
    s.run = [run](StepContext& ctx) {
        auto r = run->source().execute(export_schema(run->options()));
        set_state(ctx.journal, "export.job", require_out(r, "job_name"));
        set_state(ctx.journal, "export.prefix", require_out(r, "prefix"));
        set_state(ctx.journal, "export.log", require_out(r, "log_file"));
        run->result().summary.push_back("dump prefix: " + run->options().bucket_uri +
                                        require_out(r, "prefix"));
        ctx.progress.note("export job " + require_out(r, "job_name") + " started");
    };
    return s;
}

Step wait_step(const RunPtr& run, const std::string& id, Side side, const std::string& job_key) {
    Step s;
    s.id = id;
    s.title = "wait for the Data Pump job (" + std::string(side == Side::source ? "source" : "target") + ")";
    s.detail = render({query("job_state.sql", {in("job_name", "<job name from the previous step>")})},
                      "polled until the job leaves user_datapump_jobs or stands NOT RUNNING");
    s.run = [run, side, job_key, id](StepContext& ctx) {
        std::string job = state(ctx.journal, job_key, id);
        wait_datapump(*run, db(run, side), job, ctx.progress);
    };
    return s;
}

namespace {

// Ships a Data Pump log to the bucket and judges its last line.
void ship_and_check(const RunPtr& run, OrdsClient& database, const std::string& log_uri,
                    const std::string& log_file, bool is_export) {
    auto r = database.execute(ship_log(run->options(), log_uri, log_file));
    LogVerdict v = read_log_tail(out_text(r, "log_tail"));
    std::string what = is_export ? "export" : "import";
    if (v.success) {
        log::info("{} log: {}", what, v.last_line);
        return;
    }
    std::string errors;
    for (const auto& e : v.errors) errors += "\n  " + e;
    if (v.with_errors && !is_export) {
        // Import warnings such as ORA-31684 (object exists) do not stop a
        // clone; a person must still read them.
        run->result().warnings.push_back("import finished with errors (" + v.last_line + "); log " + log_uri +
                                         errors);
        return;
    }
    throw Error(ErrorKind::remote_job,
                "data pump " + what + " did not complete successfully: " + v.last_line + errors,
                "the full log is at " + log_uri);
}

}  // namespace

Step export_log_step(const RunPtr& run) {
    const auto& o = run->options();
    std::string prefix = schema_prefix(o, kTimestampPlaceholder);
    std::string log_file =
        "export_" + o.source_adb + "_" + lower(o.source_schema) + "_" + kTimestampPlaceholder + ".log";
    Step s;
    s.id = "export-log";
    s.title = "ship the export log next to the dump and check its last line";
    s.detail = render({ship_log(o, o.bucket_uri + prefix + "export.log", log_file)});
    s.run = [run](StepContext& ctx) {
        std::string recorded = state(ctx.journal, "export.prefix", "export-schema");
        std::string log_name = state(ctx.journal, "export.log", "export-schema");
        ship_and_check(run, run->source(), run->options().bucket_uri + recorded + "export.log", log_name,
                       true);
    };
    return s;
}

Step import_step(const RunPtr& run, bool refresh) {
    const auto& o = run->options();
    Step s;
    s.id = refresh ? "refresh-import" : "import-schema";
    s.title = refresh
                  ? fmt::format("data-only Data Pump import into {} (TABLE_EXISTS_ACTION=TRUNCATE)",
                                o.target_schema)
                  : fmt::format("Data Pump import {} -> {} (REMAP_SCHEMA)", o.source_schema, o.target_schema);
    s.detail = render({import_schema(o, schema_prefix(o, kTimestampPlaceholder), refresh)},
                      "the dump prefix is the one the export step recorded");
    s.run = [run, refresh](StepContext& ctx) {
        std::string prefix = state(ctx.journal, "export.prefix", "export-schema");
        auto r = run->target().execute(import_schema(run->options(), prefix, refresh));
        set_state(ctx.journal, "import.job", require_out(r, "job_name"));
        ctx.progress.note("import job " + require_out(r, "job_name") + " started");
    };
    return s;
}

Step import_log_step(const RunPtr& run, bool refresh) {
    const auto& o = run->options();
    std::string name = refresh ? "refresh.log" : "import.log";
    Step s;
    s.id = refresh ? "refresh-log" : "import-log";
    s.title = "ship the import log next to the dump and check its last line";
    s.detail = render({ship_log(o, o.bucket_uri + schema_prefix(o, kTimestampPlaceholder) + name,
                                import_log_name(refresh))});
    s.run = [run, refresh, name](StepContext& ctx) {
        std::string prefix = state(ctx.journal, "export.prefix", "export-schema");
        ship_and_check(run, run->target(), run->options().bucket_uri + prefix + name,
                       import_log_name(refresh), false);
    };
    return s;
}

}  // namespace dbclone::oracle
