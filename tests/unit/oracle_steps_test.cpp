// Every step of `clone` and `refresh` run against two local ORDS test
// servers scripted as the runbook's source and target ADBs; the tests assert
// on the exact requests each database received and on the report.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/error.h"
#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "engine/engine.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/ords/https_post.h"
#include "oracle/adb_scripts.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

class OracleStepsTest : public ::testing::Test {
protected:
    void SetUp() override { set_test_secrets(env_); }

    Request request(Command command) {
        Request r = runbook_request(command, source, target,
                                    {{"workspace", "UR_PREPROD"},
                                     {"app", "100"},
                                     {"target-adb", "ur-preprod"},
                                     {"no-preflight", "true"}});
        r.jobs = 4;
        return r;
    }

    void run(const Request& r, Journal& journal) {
        plan_ = std::make_unique<Plan>(make_engine("oracle")->plan(r, result));
        Progress progress(Progress::Style::quiet);
        run_plan(*plan_, journal, progress);
    }

    bool warned(const std::string& text) const {
        return std::any_of(result.warnings.begin(), result.warnings.end(),
                           [&](const std::string& w) { return w.find(text) != std::string::npos; });
    }

    const Check* check(const std::string& name) const { return find_check(result.report, name); }

    // A clone scripted with `options` whose export must stop at export-log,
    // before any import: the error it stopped with.
    Error clone_stopping_at_export_log(const ScriptOptions& options) {
        script_source(source, options);
        script_target(target, options);
        Journal journal;
        try {
            run(request(Command::clone), journal);
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::remote_job);
            EXPECT_NE(e.one_line().find("step export-log"), std::string::npos) << e.one_line();
            EXPECT_TRUE(target.requests_with("OPEN('IMPORT'").empty());
            return e;
        }
        ADD_FAILURE() << "the clone did not stop";
        return Error(ErrorKind::internal, "the clone did not stop");
    }

    ScopedEnv env_;
    OrdsTestServer source;
    OrdsTestServer target;
    RunResult result;
    std::unique_ptr<Plan> plan_;
};

// Which runbook statement a request was, by a distinctive fragment.
std::vector<std::string> kinds(const std::vector<Received>& requests) {
    static const std::vector<std::pair<std::string, std::string>> names = {
        {"DBMS_UTILITY.DB_VERSION", "versions"},
        {"DBMS_CLOUD.CREATE_CREDENTIAL", "credential"},
        {"FROM dba_users", "user?"},
        {"CREATE USER", "create-user"},
        {"GRANT CONNECT", "grant"},
        {"apex_workspace_schemas", "workspace?"},
        {"ADD_WORKSPACE", "add-workspace"},
        {"apex_workspace_apex_users", "apex-users?"},
        {"dba_arguments", "signature?"},
        {"APEX_UTIL.CREATE_USER", "create-apex-user"},
        {"OPEN('IMPORT'", "import"},
        {"attached_sessions", "job?"},
        {"v$session_longops", "progress?"},
        {":log_uri", "ship-log"},
        {"BFILENAME", "read-log?"},
        {"DBMS_SCHEDULER.CREATE_JOB", "scheduler-job"},
        {"dba_scheduler_job_run_details", "run-details?"},
        {"status = 'INVALID'", "invalid?"},
        {"DBMS_XMLGEN", "row-counts?"},
        {"APEX_APPLICATION_INSTALL.INSTALL", "apex-install"},
        {"FROM apex_applications", "apps?"},
        {"DBMS_SCHEDULER.DISABLE", "disable-job"},
        {"dba_datapump_jobs WHERE owner_name = USER ORDER BY", "datapump-jobs?"},
        {"tables_analyzed", "stats?"},
        {"SELECT owner, job_name, enabled, state", "scheduler-jobs?"},
    };
    std::vector<std::string> out;
    for (const auto& r : requests) {
        std::string kind = "?? " + r.statement().substr(0, 40);
        for (const auto& [needle, name] : names)
            if (r.statement().find(needle) != std::string::npos) {
                kind = name;
                break;
            }
        if (out.empty() || out.back() != kind || kind.back() != '?') out.push_back(kind);
    }
    return out;
}

TEST_F(OracleStepsTest, CloneRunsEveryRunbookStepInOrder) {
    script_source(source);
    script_target(target);
    Journal journal;
    ASSERT_NO_THROW(run(request(Command::clone), journal));

    // Target: the runbook's order (consecutive identical queries collapsed).
    auto got = kinds(target.requests());
    // CREATE_USER: rejected with PLS-00306, then retried with the minimum.
    std::vector<std::string> expected_all = {
        "versions", "credential", "user?", "create-user", "grant", "workspace?", "add-workspace",
        "workspace?", "apex-users?", "signature?", "create-apex-user", "create-apex-user", "apex-users?",
        "import", "job?", "progress?", "job?",
        // right after the import job, before anything else
        "scheduler-jobs?", "disable-job", "disable-job", "ship-log", "read-log?",
        // the job left dba_datapump_jobs (a job standing NOT RUNNING did not finish)
        "job?", "scheduler-job", "run-details?", "invalid?", "scheduler-job", "run-details?",
        // APEX install: the workspace's applications before, the install job, after
        "apps?", "scheduler-job", "run-details?", "apps?", "datapump-jobs?", "invalid?", "stats?",
        "apex-users?", "apps?", "scheduler-jobs?"};
    EXPECT_EQ(got, expected_all);

    // Source: credential, export (polled until COMPLETED), log, APEX export, ...
    std::vector<std::string> src = kinds(source.requests());
    ASSERT_GE(src.size(), 4u);
    EXPECT_EQ(src[0], "versions");
    EXPECT_EQ(src[1], "credential");
    // No row is counted with COUNT(*) on either side: the counts come from the logs.
    EXPECT_TRUE(source.requests_with("DBMS_XMLGEN").empty());
    EXPECT_TRUE(target.requests_with("DBMS_XMLGEN").empty());
    const std::string prefix = dump_prefix(source);
    ASSERT_FALSE(prefix.empty());

    auto exp = source.requests_with("DBMS_DATAPUMP.OPEN('EXPORT'");
    ASSERT_EQ(exp.size(), 1u);
    EXPECT_EQ(exp[0].bind("retention"), "temp");
    EXPECT_EQ(exp[0].bind("adb"), "ur-prod");
    EXPECT_EQ(exp[0].bind("schema"), "wksp_prod");
    EXPECT_EQ(exp[0].bind("bucket_uri"), kBucket);
    EXPECT_EQ(exp[0].bind("credential_name"), "DMP_CRED");
    EXPECT_EQ(exp[0].bind("parallel"), "4");
    // The target (19c) is older than the source (23ai): the dump is made for 19.
    EXPECT_EQ(exp[0].bind("version"), "19.0.0");
    EXPECT_NE(
        exp[0].statement().find("DBMS_DATAPUMP.OPEN('EXPORT','SCHEMA',NULL,\n         :job_name, :version)"),
        std::string::npos);
    // Consistent as of the job's start.
    EXPECT_NE(exp[0].statement().find("SET_PARAMETER(h, 'FLASHBACK_TIME', v_flashback)"), std::string::npos);
    // Job name chosen by dbclone, second resolution.
    EXPECT_EQ(exp[0].bind("job_name"), "SCH_WKSP_PROD_" + exp[0].bind("timestamp"));
    EXPECT_EQ(exp[0].bind("timestamp").size(), 15u);
    EXPECT_EQ(exp[0].authorization, "Basic " + base64("ADMIN:Source-Admin-Pw1"));
    // EXECUTING, EXECUTING, COMPLETED; then once more by export-log (the job left or completed).
    EXPECT_EQ(source.requests_with("attached_sessions").size(), 4u);
    // The job is opened in AMERICAN, the language dbclone reads its log in.
    const auto nls = exp[0].statement().find("ALTER SESSION SET NLS_LANGUAGE = AMERICAN");
    EXPECT_NE(nls, std::string::npos);
    EXPECT_LT(nls, exp[0].statement().find("DBMS_DATAPUMP.OPEN"));
    for (const auto& imp : target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'"))
        EXPECT_LT(imp.statement().find("ALTER SESSION SET NLS_LANGUAGE = AMERICAN"),
                  imp.statement().find("DBMS_DATAPUMP.OPEN"));

    auto cred = source.requests_with("DBMS_CLOUD.CREATE_CREDENTIAL");
    ASSERT_EQ(cred.size(), 1u);
    EXPECT_EQ(cred[0].bind("username"), "oci.user@example.com");
    EXPECT_EQ(cred[0].bind("password"), "oci-token-abcdef");

    auto log = source.requests_with(":log_uri");
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].bind("log_uri"), std::string(kBucket) + prefix + "export.log");
    EXPECT_EQ(log[0].bind("log_file"), "export_ur-prod_wksp_prod_" + exp[0].bind("timestamp") + ".log");
    // The whole log is read (paged pieces), not its last 8000 characters.
    auto read = source.requests_with("BFILENAME");
    ASSERT_GE(read.size(), 1u);
    EXPECT_EQ(read[0].bind("log_file"), log[0].bind("log_file"));

    auto apex = source.requests_with("APEX_EXPORT.GET_APPLICATION");
    ASSERT_EQ(apex.size(), 1u);
    EXPECT_EQ(apex[0].bind("apex_uri"),
              std::string(kBucket) + "temp/ur-prod/apex/100/" + exp[0].bind("timestamp") + "/");
    EXPECT_EQ(apex[0].bind("app_id"), "100");
    EXPECT_EQ(apex[0].bind("split"), "N");

    auto create_user = target.requests_with("CREATE USER");
    ASSERT_EQ(create_user.size(), 1u);
    EXPECT_EQ(create_user[0].statement(), "CREATE USER \"WKSP_URPREPROD\" IDENTIFIED BY \"Schema-Pw-4xyz\"");
    EXPECT_EQ(create_user[0].authorization, "Basic " + base64("ADMIN:Target-Admin-Pw2"));

    auto ws = target.requests_with("ADD_WORKSPACE");
    ASSERT_EQ(ws.size(), 1u);
    EXPECT_EQ(ws[0].bind("workspace"), "UR_PREPROD");
    EXPECT_EQ(ws[0].bind("schema"), "WKSP_URPREPROD");

    auto apex_user = target.requests_with("APEX_UTIL.CREATE_USER");
    ASSERT_EQ(apex_user.size(), 2u);
    EXPECT_NE(apex_user[0].statement().find("p_default_schema"), std::string::npos);
    EXPECT_EQ(apex_user[0].bind("default_schema"), "WKSP_URPREPROD");
    EXPECT_NE(apex_user[0].statement().find("APEX_UTIL.SET_WORKSPACE(p_workspace => :workspace)"),
              std::string::npos);
    // The fallback: only the minimum the runbook names.
    EXPECT_EQ(apex_user[1].statement().find("p_email_address"), std::string::npos);
    EXPECT_EQ(apex_user[1].statement().find("p_default_schema"), std::string::npos);
    EXPECT_EQ(apex_user[1].bind("user_name"), "admin");
    EXPECT_EQ(apex_user[1].bind("web_password"), "Apex-Admin-Pw3");

    auto imp = target.requests_with("OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_EQ(imp[0].bind("dump_uri"), std::string(kBucket) + prefix + "dump_%U.dmp");
    EXPECT_EQ(imp[0].bind("source_schema"), "WKSP_PROD");
    EXPECT_EQ(imp[0].bind("target_schema"), "WKSP_URPREPROD");
    EXPECT_EQ(imp[0].bind("job_name").rfind("SCH_IMP_", 0), 0u);
    EXPECT_EQ(imp[0].bind("log_file"), lower(imp[0].bind("job_name")) + ".log");

    // Every enabled job, one DISABLE each, with force.
    auto disabled = target.requests_with("DBMS_SCHEDULER.DISABLE");
    ASSERT_EQ(disabled.size(), 2u);
    EXPECT_EQ(disabled[0].bind("job_name"), "\"WKSP_URPREPROD\".\"NIGHTLY_FEED\"");
    EXPECT_NE(disabled[0].statement().find("force => TRUE"), std::string::npos);

    auto jobs = target.requests_with("DBMS_SCHEDULER.CREATE_JOB");
    ASSERT_EQ(jobs.size(), 3u);
    EXPECT_EQ(jobs[0].bind("job_action"), "BEGIN DBMS_UTILITY.COMPILE_SCHEMA('WKSP_URPREPROD', FALSE); END;");
    EXPECT_EQ(jobs[1].bind("job_action"), "BEGIN DBMS_STATS.GATHER_SCHEMA_STATS('WKSP_URPREPROD'); END;");

    // The APEX install is a Scheduler job (a big app outlasts a REST
    // request); its values are inlined as literals, no bind is left.
    EXPECT_TRUE(target.requests_with("APEX_APPLICATION_INSTALL.INSTALL").empty());
    const std::string install = jobs[2].bind("job_action");
    EXPECT_EQ(jobs[2].bind("job_name").rfind("DBCLONE_APEX_", 0), 0u) << jobs[2].bind("job_name");
    EXPECT_NE(install.find("apex_string.split('f100.sql', CHR(10))"), std::string::npos) << install;
    EXPECT_NE(install.find("SET_APPLICATION_ID(p_application_id => 100)"), std::string::npos) << install;
    EXPECT_NE(install.find("v_workspace CONSTANT VARCHAR2(255)  := 'UR_PREPROD'"), std::string::npos);
    EXPECT_NE(install.find("v_schema    CONSTANT VARCHAR2(128)  := 'WKSP_URPREPROD'"), std::string::npos);
    EXPECT_NE(install.find("v_base      CONSTANT VARCHAR2(1000) := '" + std::string(kBucket) +
                           "temp/ur-prod/apex/100/" + exp[0].bind("timestamp") + "/'"),
              std::string::npos)
        << install;
    EXPECT_EQ(install.find(":workspace"), std::string::npos);
    // One job is one session: workspace, settings and install in one block, in this order.
    std::size_t at = 0;
    for (const char* call :
         {"DBMS_CLOUD.GET_OBJECT", "APEX_UTIL.SET_WORKSPACE", "APEX_APPLICATION_INSTALL.SET_WORKSPACE",
          "APEX_APPLICATION_INSTALL.SET_SCHEMA", "APEX_APPLICATION_INSTALL.SET_APPLICATION_ID",
          "APEX_APPLICATION_INSTALL.GENERATE_OFFSET", "APEX_APPLICATION_INSTALL.INSTALL"}) {
        auto pos = install.find(call, at);
        ASSERT_NE(pos, std::string::npos) << call;
        at = pos;
    }
    EXPECT_NE(result.summary.end(), std::find(result.summary.begin(), result.summary.end(),
                                              "APEX application installed as 100 in workspace UR_PREPROD"));

    // Report and warnings: section 9 and 10.
    EXPECT_TRUE(warned("import finished with expected errors only"));
    EXPECT_TRUE(warned("ORA-31684"));
    EXPECT_TRUE(warned("database link ERP.EXAMPLE.COM"));
    EXPECT_TRUE(warned("network ACLs could not be read"));
    EXPECT_TRUE(warned("APEX user ALICE"));
    // Dump counts (export log, partitions summed) against the import log.
    ASSERT_NE(check("T0007"), nullptr);
    EXPECT_EQ(check("T0007")->status, CheckStatus::fail);
    EXPECT_NE(check("T0007")->evidence.find("dump (export log) 70 rows, import log 71 rows"),
              std::string::npos)
        << check("T0007")->evidence;
    EXPECT_EQ(check("T0006")->status, CheckStatus::pass);
    EXPECT_EQ(check("T0003")->status, CheckStatus::pass);
    EXPECT_TRUE(warned("rows T0007"));
    EXPECT_EQ(check("no INVALID object in WKSP_URPREPROD")->status, CheckStatus::pass);
    EXPECT_EQ(check("GATHER_SCHEMA_STATS has run")->status, CheckStatus::pass);
    EXPECT_EQ(check("scheduler jobs of WKSP_URPREPROD are DISABLED")->status, CheckStatus::pass);
    EXPECT_EQ(check("database links re-created")->status, CheckStatus::warn);
    EXPECT_NE(check("App Builder lists the imported application"), nullptr);
    EXPECT_EQ(result.report.count(CheckStatus::pass), static_cast<std::size_t>(kTables - 1 + 4));

    // No secret reached the plan text.
    std::string text = plan_->render_text();
    for (const char* secret : {"oci-token-abcdef", "Apex-Admin-Pw3", "Schema-Pw-4xyz", "Target-Admin-Pw2"})
        EXPECT_EQ(text.find(secret), std::string::npos) << secret;
}

TEST_F(OracleStepsTest, FailedExportJobShowsTheLogErrors) {
    ScriptOptions options;
    options.export_fails = true;
    const Error e = clone_stopping_at_export_log(options);
    EXPECT_NE(e.message().find("ORA-39126"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("stopped due to fatal error"), std::string::npos);
}

// A job that stands NOT RUNNING in dba_datapump_jobs stopped and kept its
// master table: it did not finish, whatever the words of its log's last line.
TEST_F(OracleStepsTest, ExportJobThatStandsStoppedFailsWhateverItsLogSays) {
    ScriptOptions options;
    options.export_job_stays_stopped = true;
    const Error e = clone_stopping_at_export_log(options);
    EXPECT_NE(e.message().find("the job stands NOT RUNNING"), std::string::npos) << e.message();
}

TEST_F(OracleStepsTest, ResumeContinuesFromTheFailedStep) {
    ScriptOptions options;
    options.import_503_times = 1;
    script_source(source, options);
    script_target(target, options);
    Journal journal;  // the same journal stands for the journal file on disk
    try {
        run(request(Command::clone), journal);
        FAIL() << "the 503 did not stop the run";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::connection);
        EXPECT_NE(e.one_line().find("step import-schema"), std::string::npos);
    }
    ASSERT_NO_THROW(run(request(Command::clone), journal));
    // Nothing before the failed step ran twice.
    EXPECT_EQ(source.requests_with("OPEN('EXPORT'").size(), 1u);
    EXPECT_EQ(target.requests_with("CREATE USER").size(), 1u);
    EXPECT_EQ(target.requests_with("ADD_WORKSPACE").size(), 1u);
    EXPECT_EQ(target.requests_with("OPEN('IMPORT'").size(), 2u);
    auto imp = target.requests_with("OPEN('IMPORT'");
    EXPECT_EQ(imp[1].bind("dump_uri"), std::string(kBucket) + dump_prefix(source) + "dump_%U.dmp");
    // The same job name: journaled before the first attempt, looked up on resume.
    EXPECT_EQ(imp[1].bind("job_name"), imp[0].bind("job_name"));
    EXPECT_EQ(target.requests_with("log_files").size(), 1u);
}

TEST_F(OracleStepsTest, ExistingTargetUserIsAnErrorUnlessReused) {
    script_source(source);
    target.on("FROM dba_users", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"username", "WKSP_URPREPROD"}}});
    });
    script_target(target);
    Journal journal;
    try {
        run(request(Command::clone), journal);
        FAIL() << "an existing user was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::target_exists);
    }
    EXPECT_TRUE(target.requests_with("CREATE USER").empty());
}

}  // namespace
}  // namespace dbclone::oracle::test

namespace dbclone::oracle::test {
namespace {

TEST_F(OracleStepsTest, DownloadKeepsALocalCopyAndCopyApexUsersCreatesThem) {
    script_source(source);
    // The export, read back in 1000-character pieces (two pages of pieces).
    source.on("TO_CLOB(DBMS_CLOUD.GET_OBJECT", [](const Received& r, int) {
        int offset = r.body.value("offset", 0), limit = r.body.value("limit", 10000);
        std::vector<nlohmann::json> rows;
        const int pieces = 1500;
        for (int i = offset; i < std::min(pieces, offset + limit); ++i)
            rows.push_back(
                {{"piece_no", i + 1}, {"piece", i + 1 == pieces ? std::string("end;\n") : std::string("x")}});
        return query_reply(r.statement(), rows, offset + limit < pieces, offset, limit);
    });
    script_target(target);
    auto dir = std::filesystem::temp_directory_path() / ("dbclone-oracle-dl-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Request r = request(Command::clone);
    r.engine_options["download"] = dir.string();
    r.engine_options["copy-apex-users"] = "true";
    Journal journal;
    ASSERT_NO_THROW(run(r, journal));

    auto fetch = source.requests_with("TO_CLOB(DBMS_CLOUD.GET_OBJECT");
    ASSERT_EQ(fetch.size(), 2u);  // paged
    EXPECT_EQ(fetch[0].bind("object_uri"), std::string(kBucket) + "temp/ur-prod/apex/100/" +
                                               source.requests_with("OPEN('EXPORT'")[0].bind("timestamp") +
                                               "/f100.sql");
    std::ifstream in(dir / "f100.sql");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content.size(), 1499u + 5u);
    EXPECT_EQ(content.substr(content.size() - 5), "end;\n");
    std::filesystem::remove_all(dir);

    // ALICE and BOB from the source workspace; admin came from workspace-admin.
    std::vector<std::string> created;
    for (const auto& req : target.requests_with("APEX_UTIL.CREATE_USER"))
        created.push_back(req.bind("user_name"));
    EXPECT_EQ(created, (std::vector<std::string>{"admin", "admin", "ALICE", "BOB"}));
    auto alice = target.requests_with("APEX_UTIL.CREATE_USER")[2];
    EXPECT_EQ(alice.bind("developer_privs"), "ADMIN");
    EXPECT_EQ(alice.bind("change_password"), "Y");
    EXPECT_EQ(target.requests_with("APEX_UTIL.CREATE_USER")[3].bind("developer_privs"), "");
    EXPECT_TRUE(warned("random passwords"));
    EXPECT_FALSE(warned("APEX user ALICE"));
}

TEST_F(OracleStepsTest, SecretsFileAndOAuth2) {
    ScopedEnv clear;
    for (const char* name : {"DBCLONE_ORACLE_SOURCE_PASSWORD", "DBCLONE_ORACLE_TARGET_PASSWORD"})
        clear.set(name, "");
    auto file =
        std::filesystem::temp_directory_path() / ("dbclone-oracle-secrets-" + std::to_string(::getpid()));
    {
        std::ofstream out(file);
        out << "DBCLONE_ORACLE_SOURCE_CLIENT_ID=src-id\nDBCLONE_ORACLE_SOURCE_CLIENT_SECRET=src-secret-123\n"
               "DBCLONE_ORACLE_TARGET_CLIENT_ID=tgt-id\nDBCLONE_ORACLE_TARGET_CLIENT_SECRET=tgt-secret-456\n";
    }
    auto token = [](const std::string& value) {
        return [value](const Received&) {
            return Reply{
                200, "{\"access_token\":\"" + value + "\",\"token_type\":\"bearer\",\"expires_in\":3600}"};
        };
    };
    source.on_token(token("source-token-1"));
    target.on_token(token("target-token-2"));
    script_source(source);
    script_target(target);
    Request r = request(Command::clone);
    r.engine_options["auth"] = "oauth2";
    r.engine_options["secrets-file"] = file.string();
    Journal journal;
    ASSERT_NO_THROW(run(r, journal));
    std::filesystem::remove(file);
    auto src = source.requests();
    ASSERT_GE(src.size(), 2u);
    EXPECT_EQ(src[0].path, "/ords/admin/oauth/token");
    EXPECT_EQ(src[0].authorization, "Basic " + base64("src-id:src-secret-123"));
    EXPECT_EQ(src[1].authorization, "Bearer source-token-1");
    EXPECT_EQ(target.requests()[1].authorization, "Bearer target-token-2");
}

}  // namespace
}  // namespace dbclone::oracle::test

namespace dbclone::oracle::test {
namespace {

// The APEX install is a polled Scheduler job: a job that ends FAILED stops
// the run at apex-import with the job's error; the resumed run starts a new
// install job (the failed one installed nothing) and finds the application.
TEST(OracleApexInstallJob, FailedJobStopsTheRunAndResumeStartsANewOne) {
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer source, target;
    auto fail_install = std::make_shared<bool>(true);
    ScriptOptions options;
    options.executing_polls = 2;
    options.job_outcome = [fail_install](const std::string& action) {
        if (*fail_install && action.find("APEX_APPLICATION_INSTALL.INSTALL") != std::string::npos)
            return JobOutcome{"FAILED", 20987, "ORA-20987: APEX - the application could not be installed"};
        return JobOutcome{};
    };
    script_source(source);
    script_target(target, options);
    Request r;
    r.command = Command::clone;
    r.source = source.base_url();
    r.target = target.base_url();
    r.source_schema = "WKSP_PROD";
    r.target_schema = "WKSP_URPREPROD";
    r.engine_options = {{"bucket-uri", kBucket}, {"workspace", "UR_PREPROD"},
                        {"app", "100"},          {"source-adb", "ur-prod"},
                        {"poll-ms", "0"},        {"no-preflight", "true"}};
    RunResult result;
    Journal journal;
    Progress progress(Progress::Style::quiet);
    {
        Plan plan = make_engine("oracle")->plan(r, result);
        try {
            run_plan(plan, journal, progress);
            FAIL() << "a FAILED install job was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::remote_job);
            EXPECT_NE(e.one_line().find("step apex-import"), std::string::npos) << e.one_line();
            EXPECT_NE(e.one_line().find("ORA-20987"), std::string::npos) << e.one_line();
        }
    }
    auto installs = [&] {
        std::vector<std::string> names;
        for (const auto& q : target.requests_with("DBMS_SCHEDULER.CREATE_JOB"))
            if (q.bind("job_action").find("APEX_APPLICATION_INSTALL.INSTALL") != std::string::npos)
                names.push_back(q.bind("job_name"));
        return names;
    };
    ASSERT_EQ(installs().size(), 1u);
    EXPECT_FALSE(journal.get("apex.installed"));

    *fail_install = false;
    Plan plan = make_engine("oracle")->plan(r, result);
    ASSERT_NO_THROW(run_plan(plan, journal, progress));
    EXPECT_EQ(installs().size(), 2u);
    EXPECT_EQ(journal.get("apex.installed").value_or(""), "100");
}

}  // namespace
}  // namespace dbclone::oracle::test
