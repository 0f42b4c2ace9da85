// The Oracle Autonomous Database engine: runbook RB-005 as a plan of steps
// run over ORDS REST-Enabled SQL. plan() only parses options and builds the
// steps (no network, so `dbclone plan` works offline); the steps connect.
#include <regex>

#include "core/error.h"
#include "engine/engine.h"
#include "engine/oracle/oracle_steps.h"

namespace dbclone {

namespace oracle {
namespace {

std::string host_of(const std::string& url) {
    static const std::regex host(R"(^[a-zA-Z]+://([^/]+))");
    std::smatch m;
    std::string h = std::regex_search(url, m, host) ? m[1].str() : url;
    for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return h;
}

void add_export(Plan& plan, const RunPtr& run) {
    plan.add(export_step(run));
    plan.add(wait_step(run, "export-wait", Side::source, "export.job"));
    plan.add(export_log_step(run));
}

void add_apex_export(Plan& plan, const RunPtr& run) {
    if (!run->options().app) return;
    plan.add(apex_export_step(run));
    if (!run->options().download_dir.empty()) plan.add(apex_download_step(run));
}

Plan clone_plan(const RunPtr& run) {
    const auto& o = run->options();
    Plan plan("clone");
    plan.add(credential_step(run, Side::source));
    plan.add(credential_step(run, Side::target));
    add_export(plan, run);
    add_apex_export(plan, run);
    plan.add(target_user_step(run));
    if (o.app) {
        plan.add(workspace_step(run));
        plan.add(workspace_admin_step(run));
    }
    plan.add(import_step(run, false));
    plan.add(wait_step(run, "import-wait", Side::target, "import.job"));
    plan.add(import_log_step(run, false));
    plan.add(compile_step(run));
    plan.add(stats_step(run));
    plan.add(row_count_step(run));
    if (o.app) plan.add(apex_import_step(run));
    if (!o.keep_jobs) plan.add(disable_jobs_step(run));
    plan.add(manual_report_step(run));
    if (o.app && o.copy_apex_users) plan.add(copy_apex_users_step(run));
    if (o.verify_after) plan.add(verify_step(run, false));
    return plan;
}

Plan refresh_plan(const RunPtr& run) {
    const auto& o = run->options();
    if (host_of(o.source_url) == host_of(o.target_url) && o.source_schema == o.target_schema)
        throw Error(
            ErrorKind::usage,
            "refresh target is the source (" + host_of(o.target_url) + ", schema " + o.target_schema + ")",
            "a refresh truncates the target's tables; name a different target database or schema");
    Plan plan("refresh");
    plan.add(credential_step(run, Side::source));
    plan.add(credential_step(run, Side::target));
    add_export(plan, run);
    plan.add(refresh_disable_step(run));
    plan.add(import_step(run, true));
    plan.add(wait_step(run, "refresh-wait", Side::target, "import.job"));
    plan.add(import_log_step(run, true));
    plan.add(refresh_enable_step(run));
    if (o.sequences == SequencesMode::sync) plan.add(sequences_step(run));
    plan.add(stats_step(run));
    if (o.verify_after) plan.add(verify_step(run, true));
    return plan;
}

Plan export_plan(const RunPtr& run) {
    Plan plan("export");
    plan.add(credential_step(run, Side::source));
    add_export(plan, run);
    add_apex_export(plan, run);
    return plan;
}

Plan verify_plan(const RunPtr& run) {
    Plan plan("verify");
    plan.add(verify_step(run, false));
    return plan;
}

class OracleEngine final : public Engine {
public:
    std::string_view name() const override { return "oracle"; }

    Plan plan(const Request& request, RunResult& result) override {
        auto run = std::make_shared<OracleRun>(parse_options(request), result);
        switch (request.command) {
            case Command::clone:
                return clone_plan(run);
            case Command::refresh:
                return refresh_plan(run);
            case Command::export_:
                return export_plan(run);
            case Command::verify:
                return verify_plan(run);
            case Command::import:
                break;
        }
        throw Error(ErrorKind::unsupported, "the oracle engine has no separate import command",
                    "use clone (export and import in one run) or refresh");
    }
};

}  // namespace
}  // namespace oracle

std::unique_ptr<Engine> make_oracle_engine() {
    return std::make_unique<oracle::OracleEngine>();
}

}  // namespace dbclone
