#include "engine/oracle/oracle_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "core/error.h"
#include "core/interrupt.h"
#include "engine/oracle/oracle_statements.h"

namespace dbclone::oracle {

namespace {

double number_value(const Row& row, const std::string& column) {
    if (!row.contains(column) || row[column].is_null()) return 0;
    if (row[column].is_number()) return row[column].get<double>();
    return row[column].is_string() ? std::atof(row[column].get<std::string>().c_str()) : 0;
}

}  // namespace

OrdsClient& OracleRun::source() {
    if (!source_) source_ = std::make_unique<OrdsClient>(ords_config(options_, "source"));
    return *source_;
}

OrdsClient& OracleRun::target() {
    if (!target_) target_ = std::make_unique<OrdsClient>(ords_config(options_, "target"));
    return *target_;
}

void OracleRun::pause() const {
    // Sleep in short slices so Ctrl-C stops a long wait promptly; the server
    // job keeps running and a resumed run polls it again.
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(options_.poll_seconds));
    const Clock::duration slice = std::chrono::milliseconds(200);
    do {
        check_interrupted();
        std::this_thread::sleep_for(std::min(until - Clock::now(), slice));
    } while (Clock::now() < until);
}

std::string state(const Journal& journal, const std::string& key, const std::string& producer) {
    auto v = journal.get(key);
    if (!v || !v->is_string())
        throw Error(ErrorKind::internal, "no recorded " + key,
                    "step " + producer + " has not run in this journal; run without --resume");
    return v->get<std::string>();
}

void set_state(Journal& journal, const std::string& key, const std::string& value) {
    journal.set(key, value);
}

void wait_datapump(OracleRun& run, OrdsClient& db, const std::string& job_name, Progress& progress) {
    auto started = std::chrono::steady_clock::now();
    std::string last_state;
    for (;;) {
        auto rows = db.query(query("job_state.sql", {in("job_name", job_name)}));
        if (rows.empty()) return;  // the job has finished and left the view
        std::string st = rows[0].value("state", std::string());
        if (st == "NOT RUNNING" || st == "COMPLETED") return;
        std::string line = fmt::format("data pump job {}: {}", job_name, st);
        try {
            // v$session_longops may not be readable; progress is optional.
            auto p = db.query(query("job_progress.sql", {in("job_name", job_name)}));
            if (!p.empty() && p[0].value("totalwork", 0.0) > 0)
                line += fmt::format(" ({:.0f}/{:.0f} {})", p[0].value("sofar", 0.0),
                                    p[0].value("totalwork", 0.0), p[0].value("units", std::string("units")));
        } catch (const OracleSqlError&) {
        }
        if (line != last_state) progress.note(line);
        last_state = line;
        if (std::chrono::steady_clock::now() - started >
            std::chrono::seconds(run.options().job_timeout_seconds))
            throw Error(ErrorKind::remote_job,
                        fmt::format("data pump job {} is still {} after the job timeout", job_name, st),
                        "it keeps running on the server; resume later with --resume, or stop it with "
                        "DBMS_DATAPUMP.ATTACH + STOP_JOB");
        run.pause();
    }
}

std::string datapump_job_stopped(OrdsClient& db, const std::string& job_name) {
    auto rows = db.query(query("job_state.sql", {in("job_name", job_name)}));
    if (rows.empty()) return "";
    std::string st = rows[0].value("state", std::string());
    return st == "COMPLETED" ? "" : st;
}

std::string read_datapump_log(OrdsClient& db, const std::string& log_file) {
    auto rows = db.query(read_log(log_file));
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.value("piece_no", 0.0) < b.value("piece_no", 0.0); });
    std::string text;
    for (const auto& r : rows)
        if (r.contains("piece") && r["piece"].is_string()) text += r["piece"].get<std::string>();
    return text;
}

std::string utc_timestamp() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    return stamp;
}

SchedulerOutcome run_scheduler_job_outcome(OracleRun& run, OrdsClient& db, StepContext& ctx,
                                           const std::string& key, const std::string& action,
                                           const std::string& tag) {
    std::string job;
    bool resumed = false;
    if (auto v = ctx.journal.get(key); v && v->is_string()) {
        job = v->get<std::string>();
        resumed = true;
    } else {
        std::string stamp = utc_timestamp();
        stamp.erase(std::remove(stamp.begin(), stamp.end(), 'T'), stamp.end());
        std::string kind = key.substr(0, key.find('.'));
        for (auto& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        // A sequence number of the run's jobs: two jobs created in the same
        // second (a retried install, a second restore) never share a name,
        // so one's run details are never taken for the other's.
        int n = ctx.journal.get("scheduler.created").value_or(nlohmann::json(0)).get<int>() + 1;
        ctx.journal.set("scheduler.created", n);
        job = "DBCLONE_" + kind + "_" + stamp + "_" + std::to_string(n) + (tag.empty() ? "" : "_" + tag);
        set_state(ctx.journal, key, job);
    }
    if (resumed) {
        // Journaled but perhaps never created (the run stopped in between):
        // create it unless it exists or has already run.
        auto known = db.query(query("scheduler_job_known.sql", {in("job_name", job)}));
        if (!known.empty() && number_value(known[0], "n") == 0) resumed = false;
    }
    if (!resumed) db.execute(scheduler_job(job, action));
    auto started = std::chrono::steady_clock::now();
    for (;;) {
        // No run-details row yet: the job is scheduled or still running.
        auto rows = db.query(query("scheduler_job_state.sql", {in("job_name", job)}));
        if (!rows.empty()) {
            SchedulerOutcome out;
            out.job = job;
            out.status = rows[0].value("status", std::string());
            out.error_code = static_cast<int>(number_value(rows[0], "error_code"));
            if (rows[0].contains("additional_info") && rows[0]["additional_info"].is_string())
                out.info = rows[0]["additional_info"].get<std::string>();
            return out;
        }
        if (std::chrono::steady_clock::now() - started >
            std::chrono::seconds(run.options().job_timeout_seconds))
            throw Error(
                ErrorKind::remote_job,
                fmt::format("scheduler job {} has not finished within the job timeout", job),
                "it keeps running on the server; resume later with --resume, which waits for the same "
                "job");
        ctx.progress.note("waiting for scheduler job " + job);
        run.pause();
    }
}

void run_scheduler_job(OracleRun& run, OrdsClient& db, StepContext& ctx, const std::string& key,
                       const std::string& action) {
    SchedulerOutcome out = run_scheduler_job_outcome(run, db, ctx, key, action);
    if (!out.succeeded())
        throw Error(ErrorKind::remote_job,
                    "scheduler job " + out.job + " " + out.status +
                        (out.error_code != 0 ? fmt::format(" (ORA-{:05d})", out.error_code) : std::string()) +
                        ": " + out.info,
                    "the job ran: " + action);
}

}  // namespace dbclone::oracle
