// `verify`: the runbook §10 checklist against an existing clone.
#include "engine/oracle/commands/commands.h"

namespace dbclone::oracle {

Plan verify_plan(const RunPtr& run) {
    Plan plan("verify");
    plan.add(verify_step(run, false));
    return plan;
}

}  // namespace dbclone::oracle
