// Runbook §1 (credential), §2 (schema export), §2.1 (monitor), §2.2 (ship
// the log and check it), §6 and §8.2 step B (import / data-only refresh),
// and the compatibility check that decides the export's Data Pump version.
#include <fmt/format.h>

#include <optional>

#include "core/error.h"
#include "core/log.h"
#include "engine/oracle/datapump_log.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/versions.h"

namespace dbclone::oracle {

std::string dump_prefix_shown(const OracleOptions& o) {
    if (o.command != Command::import) return schema_prefix(o, kTimestampPlaceholder);
    if (o.dump.find('/') != std::string::npos) return o.dump + "/";
    return (o.any_retention ? std::string("<retention>") : o.retention) + "/" +
           (o.source_adb.empty() ? std::string("<adb>") : o.source_adb) + "/schema/" +
           lower(o.source_schema) + "/" + (o.dump.empty() ? std::string("<newest>") : o.dump) + "/";
}

std::string apex_prefix_shown(const OracleOptions& o) {
    if (o.command != Command::import) return apex_prefix(o, kTimestampPlaceholder);
    const std::string p = dump_prefix_shown(o);  // <retention>/<adb>/schema/<schema>/<ts>/
    return p.substr(0, p.find("/schema/")) + "/apex/" + std::to_string(o.app.value_or(0)) +
           p.substr(p.rfind('/', p.size() - 2));
}

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

Step credential_step(const RunPtr& run, Side side) {
    const auto& o = run->options();
    std::string where = side == Side::source ? "source" : "target";
    Step s;
    s.id = where + "-credential";
    s.title = "object-storage credential " + o.credential + " on the " + where + " (create or update)";
    s.detail = render({create_credential(o, "<DBCLONE_OCI_USER>", "<secret>")},
                      "auth token from DBCLONE_OCI_AUTH_TOKEN; an existing credential gets the current user "
                      "and token, and must be enabled");
    s.run = [run, side](StepContext& ctx) { ensure_credential(run, side, ctx.progress); };
    return s;
}

void ensure_credential(const RunPtr& run, Side side, Progress& progress) {
    const auto& opt = run->options();
    const std::string where = side == Side::source ? "source" : "target";
    std::string user = require_secret(opt, "DBCLONE_OCI_USER", "the OCI user name of the auth token");
    std::string token =
        require_secret(opt, "DBCLONE_OCI_AUTH_TOKEN", "the OCI auth token for object storage");
    auto r = db(run, side).execute(create_credential(opt, user, token));
    if (out_text(r, "enabled") != "TRUE")
        throw Error(ErrorKind::unsupported,
                    "credential " + opt.credential + " on the " + where + " is disabled",
                    "enable it: BEGIN DBMS_CREDENTIAL.ENABLE_CREDENTIAL('" + opt.credential +
                        "'); END; (or pass another --credential-name)");
    progress.note(fmt::format("credential {} on the {}: {}", opt.credential, where,
                              out_text(r, "existed") == "0" ? "created" : "updated"));
}

namespace {

// The PARALLEL a Data Pump job on the database that answered `versions`
// gets (journaled under `key`), and the note saying why.
std::string choose_parallel(const OracleOptions& o, const StatementResult& versions, Journal& journal,
                            const std::string& key, const std::string& job) {
    ParallelChoice p =
        datapump_parallel(out_text(versions, "cpu_count"), out_text(versions, "max_datapump_parallel"),
                          o.parallel, o.max_parallel);
    journal.set(key, p.degree);
    std::string why = p.reason;
    if (std::string code = out_text(versions, "parameter_error"); !code.empty() && o.parallel == 0)
        why += " (V$PARAMETER: ORA" + code + ")";
    return fmt::format("{} PARALLEL {} ({})", job, p.degree, why);
}

std::optional<int> journaled_parallel(const Journal& journal, const std::string& key) {
    auto v = journal.get(key);
    if (v && v->is_number_integer()) return v->get<int>();
    return std::nullopt;
}

}  // namespace

Step target_compatibility_step(const RunPtr& run) {
    Step s;
    s.id = "compatibility";
    s.title = "database version of the target; the import's Data Pump PARALLEL";
    s.detail = render({db_version()},
                      "on the target: its CPU_COUNT (and MAX_DATAPUMP_PARALLEL_PER_JOB) sets the "
                      "import job's PARALLEL unless --parallel is given");
    s.rerun_on_resume = true;
    s.run = [run](StepContext& ctx) {
        auto tgt = run->target().execute(db_version());
        std::string note = fmt::format(
            "target {} (COMPATIBLE {}, APEX {}); {}", out_text(tgt, "version"), out_text(tgt, "compatible"),
            out_text(tgt, "apex_version"),
            choose_parallel(run->options(), tgt, ctx.journal, "datapump.parallel.import", "import"));
        run->result().summary.push_back(note);
        ctx.progress.note(note);
    };
    return s;
}

Step compatibility_step(const RunPtr& run, bool has_target) {
    const auto& o = run->options();
    Step s;
    s.id = "compatibility";
    s.title = has_target ? "database and APEX versions of both sides; the Data Pump version for the target"
                         : "database and APEX version of the source";
    s.detail = render({db_version()},
                      has_target ? "on the source, then the target: an older target gets Data Pump version = "
                                   "its COMPATIBLE, and an APEX application needs a target APEX as new"
                                 : "the export uses Data Pump version COMPATIBLE");
    (void)o;
    s.rerun_on_resume = true;
    s.run = [run, has_target](StepContext& ctx) {
        const auto& opt = run->options();
        auto src = run->source().execute(db_version());
        std::string version = "COMPATIBLE";
        std::string note =
            fmt::format("source {} (COMPATIBLE {}, APEX {}); {}", out_text(src, "version"),
                        out_text(src, "compatible"), out_text(src, "apex_version"),
                        choose_parallel(opt, src, ctx.journal, "datapump.parallel.export", "export"));
        if (has_target) {
            auto tgt = run->target().execute(db_version());
            version = datapump_version(require_out(src, "compatible"), require_out(tgt, "compatible"));
            note += fmt::format("; target {} (COMPATIBLE {}, APEX {}); Data Pump version {}; {}",
                                out_text(tgt, "version"), out_text(tgt, "compatible"),
                                out_text(tgt, "apex_version"), version,
                                choose_parallel(opt, tgt, ctx.journal, "datapump.parallel.import", "import"));
            if (opt.app &&
                compare_versions(out_text(src, "apex_version"), out_text(tgt, "apex_version"), 2) > 0)
                throw Error(ErrorKind::unsupported,
                            "APEX application " + std::to_string(*opt.app) + " comes from APEX " +
                                out_text(src, "apex_version") +
                                " and cannot be installed into the target's APEX " +
                                out_text(tgt, "apex_version"),
                            "upgrade APEX on the target, or clone the schema only (without --app)");
        }
        set_state(ctx.journal, "datapump.version", version);
        // For the export's log (export-schema): what an import of the dump checks.
        set_state(ctx.journal, "source.version", out_text(src, "version"));
        set_state(ctx.journal, "source.compatible", out_text(src, "compatible"));
        set_state(ctx.journal, "source.apex", out_text(src, "apex_version"));
        run->result().summary.push_back(note);
        ctx.progress.note(note);
    };
    return s;
}

Step export_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "export-schema";
    s.title = fmt::format("Data Pump export of {} to {}{} (consistent as of its start)", o.source_schema,
                          o.bucket_uri, schema_prefix(o, kTimestampPlaceholder));
    s.detail = render({export_schema(o, kTimestampPlaceholder, export_job_name(o, kTimestampPlaceholder),
                                     "<COMPATIBLE, or the target's when it is older>", std::nullopt,
                                     dump_versions_note({"<Data Pump version>", "<source version>",
                                                         "<source COMPATIBLE>", "<source APEX>"}))},
                      "the job name is journaled before the job starts; on --resume a job of that name (or "
                      "its log) means it started, and it is not started again");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto recorded = ctx.journal.get("export.timestamp");
        std::string ts = recorded && recorded->is_string() ? recorded->get<std::string>() : utc_timestamp();
        set_state(ctx.journal, "export.timestamp", ts);
        set_state(ctx.journal, "export.job", export_job_name(opt, ts));
        set_state(ctx.journal, "export.prefix", schema_prefix(opt, ts));
        set_state(ctx.journal, "export.log", export_log_name(opt, ts));
        if (recorded) {
            // A resumed run: the job may have started before the run stopped.
            auto seen = run->source().query(job_lookup(export_job_name(opt, ts), export_log_name(opt, ts)));
            if (!seen.empty() && (!text(seen[0], "state").empty() || number(seen[0], "log_files") > 0)) {
                ctx.progress.note("export job " + export_job_name(opt, ts) +
                                  " was started before; not again");
                return;
            }
        }
        auto journaled = ctx.journal.get("datapump.version");
        const std::string version =
            journaled && journaled->is_string() ? journaled->get<std::string>() : std::string("COMPATIBLE");
        const std::string compatible = state(ctx.journal, "source.compatible", "compatibility");
        const std::string note =
            dump_versions_note({version == "COMPATIBLE" ? compatible : version,
                                state(ctx.journal, "source.version", "compatibility"), compatible,
                                state(ctx.journal, "source.apex", "compatibility")});
        auto r = run->source().execute(
            export_schema(opt, ts, export_job_name(opt, ts), version,
                          journaled_parallel(ctx.journal, "datapump.parallel.export"), note));
        run->result().summary.push_back("dump prefix: " + opt.bucket_uri + schema_prefix(opt, ts));
        run->result().summary.push_back("export consistent as of " + out_text(r, "flashback_time"));
        ctx.progress.note("export job " + export_job_name(opt, ts) + " started");
    };
    return s;
}

Step wait_step(const RunPtr& run, const std::string& id, Side side, const std::string& job_key) {
    Step s;
    s.id = id;
    s.title = "wait for the Data Pump job (" + std::string(side == Side::source ? "source" : "target") + ")";
    s.detail = render({query("job_state.sql", {in("job_name", "<job name from the previous step>")})},
                      "polled until the job leaves dba_datapump_jobs or stands NOT RUNNING; past "
                      "--job-timeout the run stops resumable and the job keeps running");
    s.run = [run, side, job_key, id](StepContext& ctx) {
        std::string job = state(ctx.journal, job_key, id);
        wait_datapump(*run, db(run, side), job, ctx.progress);
    };
    return s;
}

namespace {

nlohmann::json rows_json(const DatapumpLog& log) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [table, n] : log.rows) j[table] = n;
    return j;
}

std::string listed(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& e : lines) out += "\n  " + e;
    return out;
}

}  // namespace

Step export_log_step(const RunPtr& run) {
    const auto& o = run->options();
    std::string prefix = schema_prefix(o, kTimestampPlaceholder);
    std::string log_file = export_log_name(o, kTimestampPlaceholder);
    Step s;
    s.id = "export-log";
    s.title = "ship the export log next to the dump; read it whole: verdict and rows per table";
    s.detail = render({ship_log(o, o.bucket_uri + prefix + "export.log", log_file), read_log(log_file)},
                      "the log is read in pieces; its rows per table are the dump's own counts");
    s.run = [run](StepContext& ctx) {
        std::string recorded = state(ctx.journal, "export.prefix", "export-schema");
        std::string log_name = state(ctx.journal, "export.log", "export-schema");
        std::string uri = run->options().bucket_uri + recorded + "export.log";
        run->source().execute(ship_log(run->options(), uri, log_name));
        DatapumpLog v = parse_datapump_log(read_datapump_log(run->source(), log_name));
        const std::string stopped =
            datapump_job_stopped(run->source(), state(ctx.journal, "export.job", "export-schema"));
        if (!stopped.empty() || !v.success)
            throw Error(ErrorKind::remote_job,
                        "data pump export did not complete successfully" +
                            (stopped.empty() ? std::string() : " (the job stands " + stopped + ")") + ": " +
                            v.last_line + listed(v.errors),
                        "the full log is at " + uri);
        ctx.journal.set("export.rows", rows_json(v));
        log::info("export log: {}", v.last_line);
        ctx.progress.note(fmt::format("export log: {} tables in the dump", v.rows.size()));
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
    s.detail = render({import_schema(o, dump_prefix_shown(o), refresh,
                                     import_job_name(refresh, kTimestampPlaceholder), std::nullopt)},
                      "the dump prefix is the one the export step recorded; the job name is journaled "
                      "before the job starts and looked up on --resume");
    s.run = [run, refresh](StepContext& ctx) {
        std::string prefix = state(ctx.journal, "export.prefix", "export-schema");
        // A failure after refresh-disable restored the foreign keys; TRUNCATE
        // needs them disabled again.
        if (refresh) ensure_disabled(*run, ctx.journal);
        std::string job;
        if (auto v = ctx.journal.get("import.job"); v && v->is_string()) {
            job = v->get<std::string>();
            auto seen = run->target().query(job_lookup(job, import_log_name(job)));
            if (!seen.empty() && (!text(seen[0], "state").empty() || number(seen[0], "log_files") > 0)) {
                ctx.progress.note("import job " + job + " was started before; not again");
                return;
            }
        } else {
            job = import_job_name(refresh, utc_timestamp());
            set_state(ctx.journal, "import.job", job);
        }
        run->target().execute(import_schema(run->options(), prefix, refresh, job,
                                            journaled_parallel(ctx.journal, "datapump.parallel.import")));
        ctx.progress.note("import job " + job + " started");
    };
    return s;
}

Step import_log_step(const RunPtr& run, bool refresh) {
    const auto& o = run->options();
    std::string name = refresh ? "refresh.log" : "import.log";
    std::string log_file = import_log_name(import_job_name(refresh, kTimestampPlaceholder));
    Step s;
    s.id = refresh ? "refresh-log" : "import-log";
    s.title = "ship the import log next to the dump; read it whole and accept only expected errors";
    s.detail = render({ship_log(o, o.bucket_uri + dump_prefix_shown(o) + name, log_file), read_log(log_file)},
                      "expected: ORA-31684 for the existing user " + o.target_schema +
                          ", ORA-39082 (compilation warnings); any other error fails the run");
    s.run = [run, name](StepContext& ctx) {
        const auto& opt = run->options();
        std::string prefix = state(ctx.journal, "export.prefix", "export-schema");
        std::string job = state(ctx.journal, "import.job", "import");
        std::string uri = opt.bucket_uri + prefix + name;
        run->target().execute(ship_log(opt, uri, import_log_name(job)));
        DatapumpLog v = parse_datapump_log(read_datapump_log(run->target(), import_log_name(job)));
        auto unexpected = unexpected_import_errors(v, opt.target_schema);
        const std::string stopped = datapump_job_stopped(run->target(), job);
        if (!stopped.empty() || !(v.success || v.with_errors) || !unexpected.empty())
            throw Error(ErrorKind::remote_job,
                        "data pump import did not complete as expected" +
                            (stopped.empty() ? std::string() : " (the job stands " + stopped + ")") + ": " +
                            v.last_line + listed(unexpected.empty() ? v.errors : unexpected),
                        "the full log is at " + uri +
                            (opt.reuse_user ? "; with --reuse-user, objects that exist keep their old rows: "
                                              "drop them or use refresh"
                                            : ""));
        if (v.with_errors)
            run->result().warnings.push_back("import finished with expected errors only (" + v.last_line +
                                             "); log " + uri + listed(v.errors));
        ctx.journal.set("import.rows", rows_json(v));
        log::info("import log: {}", v.last_line);
    };
    return s;
}

}  // namespace dbclone::oracle
