// `export`: runbook §1-§3 only; the dump set stays in the bucket.
#include "engine/oracle/commands/commands.h"

namespace dbclone::oracle {

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

Plan export_plan(const RunPtr& run) {
    const auto& o = run->options();
    Plan plan("export");
    if (o.preflight) plan.add(preflight_step(run, false));
    plan.add(compatibility_step(run, false));
    plan.add(credential_step(run, Side::source));
    add_export(plan, run);
    add_apex_export(plan, run);
    return plan;
}

}  // namespace dbclone::oracle
