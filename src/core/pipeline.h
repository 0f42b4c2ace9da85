// Runs a plan: each step in order, skipping the ones the journal says are
// done (unless a step must re-establish state on resume), recording each
// finished step, and adding the step to the context of any error it raises.
#pragma once

#include "core/journal.h"
#include "core/plan.h"
#include "core/progress.h"

namespace dbclone {

void run_plan(Plan& plan, Journal& journal, Progress& progress);

}  // namespace dbclone
