// The read-only preflight (`dbclone doctor`, and the first step of clone,
// refresh and export unless --no-preflight): every condition a real run
// would otherwise discover late, one report line each with its fix. Nothing
// here writes: only queries and DBMS_UTILITY.DB_VERSION.
#include <fmt/format.h>

#include <cstdlib>

#include "core/error.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/steps/preflight.h"
#include "engine/oracle/versions.h"

namespace dbclone::oracle {

void run_preflight(OracleRun& run, Report& report, bool has_target) {
    using namespace preflight;
    const auto& o = run.options();
    Lines p{report, 0, {}};
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
        if (source_bytes > 0)
            storage(p, run.target(), o, source_bytes, o.command == Command::refresh, "the schema needs");
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
        // doctor does not know whether a clone or a refresh follows: a
        // collision is a warning there, a failure before a clone.
        if (o.command == Command::clone || o.command == Command::doctor)
            collisions(p, run.target(), o,
                       o.command == Command::clone ? CheckStatus::fail : CheckStatus::warn);
    }
    p.stop_if_failed();
}

Step preflight_step(const RunPtr& run, bool has_target) {
    const auto& o = run->options();
    Step s;
    s.id = "preflight";
    s.title =
        "read-only preflight: ORDS, versions, privileges, credential and bucket, collisions (--no-preflight "
        "skips it)";
    std::vector<Statement> shown = preflight::first_statements(o);
    shown.push_back(query("schema_size.sql", {in("schema", o.source_schema)}));
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
