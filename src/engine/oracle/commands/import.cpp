// `import`: runbook §6 "one dump -> many clones". The target half of a clone
// (or, with --table-exists-action truncate, of a refresh) from a dump set an
// earlier export left in the bucket: no source database is read. The dump's
// own rows per table (its export log) are what the import is verified
// against.
#include "engine/oracle/commands/commands.h"

namespace dbclone::oracle {

// The target half a clone and an import share: the dump into the new schema,
// then what makes it usable and counted.
void add_schema_import(Plan& plan, const RunPtr& run) {
    const auto& o = run->options();
    plan.add(import_step(run, false));
    plan.add(wait_step(run, "import-wait", Side::target, "import.job"));
    // Copied prod jobs must not run on the clone: disabled first of all.
    if (!o.keep_jobs) plan.add(disable_jobs_step(run));
    plan.add(import_log_step(run, false));
    plan.add(compile_step(run));
    plan.add(stats_step(run));
    plan.add(row_count_step(run));
}

// Refresh's target half (refresh and import --table-exists-action truncate):
// the dump's rows into the existing tables, keys and triggers put back,
// identity columns restarted.
void add_reload(Plan& plan, const RunPtr& run) {
    plan.add(refresh_disable_step(run));
    // While the foreign keys and triggers are disabled, a failure restores
    // them before the error goes on.
    plan.add(restore_on_failure(run, import_step(run, true)));
    plan.add(restore_on_failure(run, wait_step(run, "refresh-wait", Side::target, "import.job")));
    plan.add(restore_on_failure(run, import_log_step(run, true)));
    plan.add(refresh_enable_step(run));
    plan.add(identity_step(run));
}

Plan import_plan(const RunPtr& run) {
    const auto& o = run->options();
    const bool reload = o.table_exists == TableExistsAction::truncate;
    Plan plan("import");
    // Read-only first: the target, and the dump set in place of a source.
    if (o.preflight) plan.add(import_preflight_step(run));
    // The dump set is chosen before anything is written: a choice that needs
    // the user's word (sets of several databases) stops the run before it
    // recorded anything.
    plan.add(find_dump_step(run));
    plan.add(target_compatibility_step(run));
    if (reload) {
        // refresh's target half: data only, into the existing tables.
        add_reload(plan, run);
        if (o.sequences == SequencesMode::sync)
            run->result().warnings.push_back(
                "sequences of " + o.target_schema +
                " keep their values: an import reads no source database to move them forward from (refresh "
                "does); identity columns are restarted past their rows");
        plan.add(stats_step(run));
    } else {
        // The clone's target half, APEX included (its export is the one
        // next to the dump set, found before anything is created).
        if (o.app) plan.add(find_apex_step(run));
        plan.add(target_user_step(run));
        if (o.app) {
            plan.add(workspace_step(run));
            plan.add(workspace_admin_step(run));
        }
        add_schema_import(plan, run);
        if (o.app) plan.add(apex_import_step(run));
    }
    if (o.verify_after) plan.add(verify_step(run, reload, false));
    return plan;
}

}  // namespace dbclone::oracle
