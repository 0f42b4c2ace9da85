// Live suite: docs/oracle.md "First live run" against two real Autonomous
// Databases and a real bucket: plan, clone (its preflight first), refresh,
// verify, dumps (the bucket listed), import of the newest dump set into the
// clone (--table-exists-action truncate). Runs only when the environment
// names them; otherwise every test is skipped with the list of variables.
//
//   DBCLONE_ORACLE_SOURCE_URL   https://<host>/ords/admin (source ADB)
//   DBCLONE_ORACLE_TARGET_URL   https://<host>/ords/admin (target ADB)
//   DBCLONE_ORACLE_BUCKET_URI   https://objectstorage.<region>.oraclecloud.com/n/<ns>/b/<bucket>/o/
//   DBCLONE_ORACLE_SOURCE_SCHEMA  schema to clone (e.g. WKSP_PROD)
//   DBCLONE_ORACLE_TARGET_SCHEMA  new schema on the target (must not exist; it is created)
//   DBCLONE_ORACLE_WORKSPACE      new workspace on the target
//   DBCLONE_ORACLE_APP            source APEX application id (optional)
//   DBCLONE_ORACLE_SOURCE_PASSWORD, DBCLONE_ORACLE_TARGET_PASSWORD  (ADMIN)
//   DBCLONE_OCI_USER, DBCLONE_OCI_AUTH_TOKEN, DBCLONE_APEX_ADMIN_PASSWORD
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "engine/engine.h"

namespace dbclone {
namespace {

const std::vector<std::string> kRequired = {
    "DBCLONE_ORACLE_SOURCE_URL",      "DBCLONE_ORACLE_TARGET_URL",      "DBCLONE_ORACLE_BUCKET_URI",
    "DBCLONE_ORACLE_SOURCE_SCHEMA",   "DBCLONE_ORACLE_TARGET_SCHEMA",   "DBCLONE_ORACLE_WORKSPACE",
    "DBCLONE_ORACLE_SOURCE_PASSWORD", "DBCLONE_ORACLE_TARGET_PASSWORD", "DBCLONE_OCI_USER",
    "DBCLONE_OCI_AUTH_TOKEN",         "DBCLONE_APEX_ADMIN_PASSWORD"};

std::string env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return v ? v : "";
}

std::string missing() {
    std::string out;
    for (const auto& n : kRequired)
        if (env(n).empty()) out += (out.empty() ? "" : ", ") + n;
    return out;
}

Request live_request(Command command) {
    Request r;
    r.command = command;
    r.source = env("DBCLONE_ORACLE_SOURCE_URL");
    r.target = env("DBCLONE_ORACLE_TARGET_URL");
    r.source_schema = env("DBCLONE_ORACLE_SOURCE_SCHEMA");
    r.target_schema = env("DBCLONE_ORACLE_TARGET_SCHEMA");
    r.engine_options = {{"bucket-uri", env("DBCLONE_ORACLE_BUCKET_URI")},
                        {"workspace", env("DBCLONE_ORACLE_WORKSPACE")},
                        {"app", env("DBCLONE_ORACLE_APP")},
                        {"poll-ms", "5000"}};
    return r;
}

RunResult run(Command command, TableExistsAction table_exists = TableExistsAction::none) {
    RunResult result;
    Request request = live_request(command);
    request.table_exists = table_exists;
    Plan plan = make_engine("oracle")->plan(request, result);
    Journal journal;
    Progress progress(Progress::Style::lines);
    run_plan(plan, journal, progress);
    for (const auto& w : result.warnings) std::cerr << "warning: " << w << "\n";
    std::cerr << result.report.to_text(true);
    return result;
}

TEST(OracleLive, FirstLiveRun) {
    if (auto m = missing(); !m.empty())
        GTEST_SKIP() << "live Oracle suite skipped; set " << m << " (see tests/unit/oracle_live_test.cpp)";
    {
        RunResult planned;
        Plan plan = make_engine("oracle")->plan(live_request(Command::clone), planned);
        ASSERT_EQ(plan.steps().front().id, "preflight");
    }
    RunResult clone = run(Command::clone);
    EXPECT_FALSE(clone.report.has_failures()) << clone.report.to_text(true);
    RunResult refresh = run(Command::refresh);
    EXPECT_FALSE(refresh.report.has_failures()) << refresh.report.to_text(true);
    RunResult verify = run(Command::verify);
    EXPECT_FALSE(verify.report.has_failures()) << verify.report.to_text(true);
    // The bucket as LIST_OBJECTS shows it: the clone's and the refresh's
    // dump sets, each finished (export.log present).
    RunResult dumps = run(Command::dumps);
    EXPECT_GE(dumps.report.checks().size(), 2u) << dumps.report.to_text(true);
    EXPECT_FALSE(dumps.report.has_failures()) << dumps.report.to_text(true);
    // One dump, many clones: the newest set reloaded into the clone.
    RunResult reload = run(Command::import, TableExistsAction::truncate);
    EXPECT_FALSE(reload.report.has_failures()) << reload.report.to_text(true);
}

}  // namespace
}  // namespace dbclone
