// State shared by the steps of one Oracle run: the parsed options, the two
// ORDS clients (opened on first use, so building a plan never connects) and
// the RunResult the steps report into. Values a later step needs (the dump
// prefix, job names) go through the journal so a resumed run finds them.
#pragma once

#include <memory>
#include <string>

#include "core/journal.h"
#include "core/plan.h"
#include "core/progress.h"
#include "engine/engine.h"
#include "engine/oracle/oracle_options.h"
#include "engine/oracle/ords/ords_client.h"

namespace dbclone::oracle {

class OracleRun {
public:
    OracleRun(OracleOptions options, RunResult& result) : options_(std::move(options)), result_(result) {}

    const OracleOptions& options() const { return options_; }
    RunResult& result() { return result_; }
    OrdsClient& source();
    OrdsClient& target();
    void pause() const;  // one poll interval

private:
    OracleOptions options_;
    RunResult& result_;
    std::unique_ptr<OrdsClient> source_;
    std::unique_ptr<OrdsClient> target_;
};

// Journal state helpers: a string value a previous step stored, or
// Error(internal) naming the step that should have stored it.
std::string state(const Journal& journal, const std::string& key, const std::string& producer);
void set_state(Journal& journal, const std::string& key, const std::string& value);

// Data Pump: wait until job_name has left user_datapump_jobs (or stands NOT
// RUNNING), noting progress; Error(remote_job) past the job timeout.
void wait_datapump(OracleRun& run, OrdsClient& db, const std::string& job_name, Progress& progress);

// The whole text of a file in DATA_PUMP_DIR (a Data Pump log), read in
// paged pieces so that no single request has to carry a big log.
std::string read_datapump_log(OrdsClient& db, const std::string& log_file);

// The Data Pump job still stands in dba_datapump_jobs as NOT RUNNING: it
// stopped (fatal error, STOP_JOB, instance restart) and kept its master
// table, so it did not finish whatever its log says. A finished job has left
// the view (dbclone never sets KEEP_MASTER). Decided on the job's state, not
// on the log's words; "" when it finished, else the state.
std::string datapump_job_stopped(OrdsClient& db, const std::string& job_name);

// Now in UTC as YYYYMMDDTHHMMSS: job names and dump prefixes are chosen by
// dbclone with second resolution and journaled before the job starts.
std::string utc_timestamp();

// Runs `action` (a PL/SQL block) as a Scheduler job in class HIGH and polls
// its run details until it finishes; the job name is journaled under `key`
// before the job is created, so a resumed run waits for the same job (and
// creates it only if it does not exist) instead of starting another.
void run_scheduler_job(OracleRun& run, OrdsClient& db, StepContext& ctx, const std::string& key,
                       const std::string& action);

// How a Scheduler job's run ended (dba_scheduler_job_run_details).
struct SchedulerOutcome {
    std::string job;
    std::string status;  // SUCCEEDED, FAILED, STOPPED, ...
    int error_code = 0;  // error# of the run: the ORA- number that stopped it
    std::string info;    // additional_info
    bool succeeded() const { return status == "SUCCEEDED"; }
};
// As run_scheduler_job, but a job that ran and did not succeed is returned
// for the caller to judge (e.g. ORA-02298 of a constraint's validation);
// still Error(remote_job) past the job timeout. `tag` (letters, digits, _)
// makes the job name unique among jobs created in the same second.
SchedulerOutcome run_scheduler_job_outcome(OracleRun& run, OrdsClient& db, StepContext& ctx,
                                           const std::string& key, const std::string& action,
                                           const std::string& tag = {});

}  // namespace dbclone::oracle
