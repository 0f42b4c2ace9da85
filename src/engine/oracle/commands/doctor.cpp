// `doctor`: the preflight alone, read-only. Its lines are the report; a
// failed line makes the exit code 11 (the report has failures) instead of
// stopping with an error, so every line is always shown.
#include "core/error.h"
#include "engine/oracle/commands/commands.h"

namespace dbclone::oracle {

Plan doctor_plan(const RunPtr& run) {
    Plan plan("doctor");
    Step s = preflight_step(run, !run->options().target_url.empty());
    s.id = "doctor";
    s.run = [run](StepContext&) {
        run->result().report.set_title("dbclone doctor");
        try {
            run_preflight(*run, run->result().report, !run->options().target_url.empty());
        } catch (const Error&) {
            // The failed lines are in the report already.
        }
    };
    plan.add(std::move(s));
    return plan;
}

}  // namespace dbclone::oracle
