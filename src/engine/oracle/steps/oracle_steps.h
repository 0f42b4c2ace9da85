// Builders of the Oracle plan's steps, one function per runbook step. Each
// returns a Step whose detail is the exact PL/SQL (with binds) the step will
// send, and whose run function sends it through the run's ORDS clients.
// Grouped by file after the runbook's stages: datapump_steps.cpp (§1, §2,
// §6), target_steps.cpp (§4, §5, §6.1), apex_steps.cpp (§3, §7),
// refresh_steps.cpp (§8), post_steps.cpp (§9), verify_steps.cpp (§10).
#pragma once

#include <memory>
#include <string>

#include "core/plan.h"
#include "engine/oracle/oracle_run.h"
#include "verify/report.h"

namespace dbclone::oracle {

using RunPtr = std::shared_ptr<OracleRun>;

enum class Side { source, target };

// The read-only preflight (preflight_steps.cpp): report lines under
// "preflight"; throws Error(unsupported) after them if any failed.
void run_preflight(OracleRun& run, Report& report, bool has_target);
Step preflight_step(const RunPtr& run, bool has_target);
// import's (import_preflight.cpp): the target and the dump set in the
// bucket instead of a source database.
void run_import_preflight(OracleRun& run, Report& report, Journal* journal);
Step import_preflight_step(const RunPtr& run);

// Versions of both sides (Data Pump version, APEX compatibility) and each
// side's Data Pump PARALLEL, first; import: the target's alone.
Step compatibility_step(const RunPtr& run, bool has_target);
Step target_compatibility_step(const RunPtr& run);

// The dump prefix a plan shows: the one the export of this run will write,
// or for import the set --dump / the newest names (chosen at run time).
std::string dump_prefix_shown(const OracleOptions& o);
// Likewise the APEX export's prefix: this run's, or the one next to that set.
std::string apex_prefix_shown(const OracleOptions& o);

// §1, §2, §2.1, §2.2, §6 (datapump_steps.cpp)
Step credential_step(const RunPtr& run, Side side);
// What credential_step runs: DMP_CRED created or updated, and enabled.
void ensure_credential(const RunPtr& run, Side side, Progress& progress);
Step export_step(const RunPtr& run);
Step wait_step(const RunPtr& run, const std::string& id, Side side, const std::string& job_key);
Step export_log_step(const RunPtr& run);
Step import_step(const RunPtr& run, bool refresh);
Step import_log_step(const RunPtr& run, bool refresh);

// The bucket as a store of dump sets (bucket_steps.cpp): import's choice
// of a set and its export log; dumps' listing and pruning.
Step find_dump_step(const RunPtr& run);
Step dumps_list_step(const RunPtr& run);
Step dumps_prune_step(const RunPtr& run);

// §4, §5, §6.1
Step target_user_step(const RunPtr& run);
Step workspace_step(const RunPtr& run);
Step workspace_admin_step(const RunPtr& run);
Step compile_step(const RunPtr& run);
Step stats_step(const RunPtr& run);
Step row_count_step(const RunPtr& run);

// §3, §7
Step apex_export_step(const RunPtr& run);
Step apex_download_step(const RunPtr& run);
Step apex_import_step(const RunPtr& run);
// import --app: the APEX export next to the chosen dump set, journaled for
// apex-import as the clone's apex-export journals its own.
Step find_apex_step(const RunPtr& run);

// §8
Step refresh_disable_step(const RunPtr& run);
Step refresh_enable_step(const RunPtr& run);
Step sequences_step(const RunPtr& run);
Step identity_step(const RunPtr& run);
// Wraps a refresh step that runs while the foreign keys and triggers are
// disabled: if it fails, they are restored to their journaled state before
// the error goes on (a resumed run disables them again first).
Step restore_on_failure(const RunPtr& run, Step step);
// Disables the journaled foreign keys and triggers again when an earlier
// failure restored them (refresh-import calls it before starting).
void ensure_disabled(OracleRun& run, Journal& journal);

// §9
Step disable_jobs_step(const RunPtr& run);
Step manual_report_step(const RunPtr& run);
Step copy_apex_users_step(const RunPtr& run);

// §10
// Without a source (import), the checks that read it are left out.
Step verify_step(const RunPtr& run, bool after_refresh, bool has_source = true);

// Row helpers: ORDS returns NUMBER columns as JSON numbers, but be lenient.
std::string text(const Row& row, const std::string& column);
double number(const Row& row, const std::string& column);
std::string out_text(const StatementResult& r, const std::string& name);
std::string require_out(const StatementResult& r, const std::string& name);
OrdsClient& db(const RunPtr& run, Side side);

}  // namespace dbclone::oracle
