// `clone`: runbook RB-005 §1-§10 end to end.
#include "engine/oracle/commands/commands.h"

namespace dbclone::oracle {

Plan clone_plan(const RunPtr& run) {
    const auto& o = run->options();
    Plan plan("clone");
    if (o.preflight) plan.add(preflight_step(run, true));
    plan.add(compatibility_step(run, true));
    plan.add(credential_step(run, Side::source));
    plan.add(credential_step(run, Side::target));
    add_export(plan, run);
    add_apex_export(plan, run);
    plan.add(target_user_step(run));
    if (o.app) {
        plan.add(workspace_step(run));
        plan.add(workspace_admin_step(run));
    }
    add_schema_import(plan, run);
    if (o.app) plan.add(apex_import_step(run));
    plan.add(manual_report_step(run));
    if (o.app && o.copy_apex_users) plan.add(copy_apex_users_step(run));
    if (o.verify_after) plan.add(verify_step(run, false));
    return plan;
}

}  // namespace dbclone::oracle
