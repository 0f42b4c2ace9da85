// `dumps`: the dump sets in the bucket, listed (read only), or with --prune
// the ones older than --older-than under one retention, shown (dry run) or,
// with --yes, deleted.
#include "engine/oracle/commands/commands.h"

namespace dbclone::oracle {

Plan dumps_plan(const RunPtr& run) {
    Plan plan("dumps");
    plan.add(run->options().prune ? dumps_prune_step(run) : dumps_list_step(run));
    return plan;
}

}  // namespace dbclone::oracle
