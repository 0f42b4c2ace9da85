#include "core/pipeline.h"

#include "core/error.h"
#include "core/interrupt.h"

namespace dbclone {

void run_plan(Plan& plan, Journal& journal, Progress& progress) {
    StepContext ctx{journal, progress};
    int total = static_cast<int>(plan.steps().size());
    int index = 0;
    for (auto& step : plan.steps()) {
        ++index;
        const std::string key = "step:" + step.id;
        if (journal.done(key) && !step.rerun_on_resume) {
            progress.step_skipped(step.id, "done in an earlier run");
            continue;
        }
        check_interrupted();
        progress.step_started(step.id, step.title, index, total);
        with_context("step " + step.id, [&] { step.run(ctx); });
        journal.mark_done(key);
        progress.step_finished(step.id);
    }
}

}  // namespace dbclone
