// Scripted source and target Autonomous Databases for the step tests: what
// ORDS would answer to each statement of runbook RB-005's example run.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oracle/ords_test_server.h"

namespace dbclone::oracle::test {

inline constexpr const char* kBucket =
    "https://objectstorage.uk-london-1.oraclecloud.com/n/lrqsoobrqq3r/b/adb-data-dump/o/";
// The dump prefix without its timestamp, which dbclone chooses at run time
// (see dump_prefix()).
inline constexpr const char* kPrefixBase = "temp/ur-prod/schema/wksp_prod/";
inline constexpr int kTables = 1200;  // more than one page of row counts

// How a Scheduler job's run ends (dba_scheduler_job_run_details).
struct JobOutcome {
    std::string status = "SUCCEEDED";
    int error_code = 0;
    std::string info;
};

struct ScriptOptions {
    bool export_fails = false;  // the export job stops with a fatal error
    // The export job stands NOT RUNNING (stopped, master table kept) although
    // its log ends "successfully completed".
    bool export_job_stays_stopped = false;
    bool create_user_pls00306 = true;  // first CREATE_USER call is rejected
    int import_503_times = 0;          // the import request fails with HTTP 503 this often
    std::string source_compatible = "23.0.0";
    std::string target_compatible = "19.0.0";
    std::string source_apex = "24.1.0";
    std::string target_apex = "24.1.0";
    std::string credential_enabled = "TRUE";
    // Extra lines at the end of the import log before its last line.
    std::string import_errors = "ORA-31684: Object type USER:\"WKSP_URPREPROD\" already exists\n";
    int import_error_count = 1;
    // The end of each Scheduler job the target runs, by its action (default:
    // SUCCEEDED after one poll that finds it still executing).
    std::function<JobOutcome(const std::string& action)> job_outcome;
    // Polls at which a Scheduler job still has no run details (executing).
    int executing_polls = 1;
};

// The dump prefix the export request of `server` was given (its timestamp bind).
std::string dump_prefix(const OrdsTestServer& source);

// A Data Pump log as ORDS returns read_log.sql: paged 1000-character pieces.
Reply log_reply(const Received& r, const std::string& text);
// Export / import log text listing every scripted table with its rows.
// The versions line an export writes into its log (DBMS_DATAPUMP.LOG_ENTRY):
// a 19c-compatible dump from a 23ai source with APEX 24.1.
inline constexpr const char* kVersionsNote =
    "dbclone: dump version 19.0.0; source database 23.4.0.24.05, COMPATIBLE 23.0.0, APEX 24.1.0";
// `versions`: that line as the export wrote it (empty: none, as in a log of
// an export made before dbclone recorded it).
std::string export_log_text(bool fails, const std::string& versions = kVersionsNote);
std::string import_log_text(const ScriptOptions& options);

void script_source(OrdsTestServer& server, const ScriptOptions& options = {});
void script_target(OrdsTestServer& server, const ScriptOptions& options = {});

// Sets environment variables for one test and restores the previous values
// afterwards, so a live run's credentials are never clobbered.
class ScopedEnv {
public:
    ScopedEnv() = default;
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ~ScopedEnv();
    void set(const std::string& name, const std::string& value);

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// The secrets the scripted runs need, under their documented names.
void set_test_secrets(ScopedEnv& env);

// Row counts, paged as ORDS pages them; `differ` names a table whose count is off by one.
Reply row_count_reply(const Received& r, const std::string& differ = {});

// A bucket of dump sets as DBMS_CLOUD.LIST_OBJECTS lists it (list_objects.sql)
// on `server`, and each set's export.log as GET_OBJECT returns it
// (fetch_object.sql): `objects` are names relative to the bucket URI;
// `failed_exports` names the set prefixes whose export log ends in failure.
// Registered before the other scripts so that these rules answer first.
// Objects under <retention>/<adb>/apex/<app>/<ts>/ are an APEX export,
// listed by list_apex_files.sql. `versions`: the line every export log has.
void script_bucket(OrdsTestServer& server, const std::vector<std::string>& objects,
                   const std::vector<std::string>& failed_exports = {},
                   const std::string& versions = kVersionsNote);
// The objects of one dump set: two dump files, export.log when finished.
std::vector<std::string> dump_set_objects(const std::string& prefix, bool finished = true);

// The read-only preflight's queries on one side (roles, bucket listing,
// schema size, app-id collisions), answered as a clean ADB would.
void script_preflight(OrdsTestServer& server, bool target);
// A refresh target: foreign keys into the refreshed schema (one of them
// NOT VALIDATED, one whose validation fails), an enabled trigger, identity
// columns; then script_target.
void script_refresh_target(OrdsTestServer& server, const ScriptOptions& options = {});

}  // namespace dbclone::oracle::test
