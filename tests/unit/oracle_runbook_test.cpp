// `dbclone plan clone` / `plan refresh` for runbook RB-005's own example
// (UR-Prod -> UR-PreProd, WKSP_PROD -> WKSP_URPREPROD, workspace UR_PREPROD,
// app 100) must send the runbook's PL/SQL. The blocks are read from the
// runbook text itself at test time and compared statement by statement,
// whitespace-insensitively. Every place where dbclone differs on purpose is
// listed below with its reason; anything else fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "engine/engine.h"
#include "oracle/plsql_compare.h"

namespace dbclone::oracle::test {
namespace {

std::string runbook_path() {
    if (const char* env = std::getenv("DBCLONE_RUNBOOK")) return env;
    // DBCLONE_SHARED_DIR in the environment wins, as in the integration tests
    // and the grammar check: one variable tries the suite without ../shared.
    const char* shared = std::getenv("DBCLONE_SHARED_DIR");
    return std::string(shared != nullptr && *shared != '\0' ? shared : DBCLONE_SHARED_DIR) +
           "/runbook/RB-005-apex-schema-clone.txt";
}

std::string read_runbook() {
    std::ifstream in(runbook_path());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

Request example(Command command) {
    Request r;
    r.command = command;
    // Hosts that do not exist: building a plan must not connect anywhere.
    r.source = "https://ur-prod.adb.uk-london-1.oraclecloudapps.invalid/ords/admin";
    r.target = "https://ur-preprod.adb.uk-london-1.oraclecloudapps.invalid/ords/admin";
    r.source_schema = "WKSP_PROD";
    r.target_schema = "WKSP_URPREPROD";
    r.retention = "temp";
    r.jobs = 4;
    r.engine_options = {
        {"bucket-uri", "https://objectstorage.uk-london-1.oraclecloud.com/n/lrqsoobrqq3r/b/adb-data-dump/o/"},
        {"workspace", "UR_PREPROD"},
        {"app", "100"},
        {"source-adb", "ur-prod"},
        {"target-adb", "ur-preprod"}};
    return r;
}

const Step& step(const Plan& plan, const std::string& id) {
    for (const auto& s : plan.steps())
        if (s.id == id) return s;
    throw std::runtime_error("plan has no step " + id);
}

// The statements of a step as plan prints them, binds substituted.
std::string planned(const Step& s) {
    std::string text;
    for (const auto& st : parse_detail(s.detail)) text += st.text + ";\n";
    return text;
}

// A step that runs the runbook block as a Scheduler job: the job action.
std::string job_action(const Step& s) {
    for (const auto& st : parse_detail(s.detail))
        if (st.binds.count("job_action")) return st.binds.at("job_action");
    return {};
}

// Statements dbclone adds around the runbook's, each for a stated reason.
const std::vector<Addition> kAdditions = {
    {R"(DBMS_DATAPUMP\.SET_PARALLEL\(h,([0-9]+|'<CPU_COUNT[^']*>')\))",
     "parallelism from the database's CPU_COUNT, or --parallel"},
    {R"(EXECUTE IMMEDIATE'ALTER SESSION SET NLS_LANGUAGE = AMERICAN')",
     "the job writes its log in the opening session's language; dbclone reads it in AMERICAN"},
    {R"(DBMS_DATAPUMP\.DETACH\(h\))", "the job runs on; dbclone polls instead of holding a request open"},
    {R"(DBMS_DATAPUMP\.LOG_ENTRY\(h,.*\))",
     "the dump's Data Pump version and the source's versions in the export's own log, which an import "
     "checks"},
    {R"(:\w+:=.*)", "names and results are handed back in out binds"},
    {R"(n NUMBER|n INTEGER|c CLOB|n PLS_INTEGER:=0|n:=n\+1|END IF)", "locals of the additions"},
    {R"(SELECT COUNT\(\*\)INTO n FROM user_credentials WHERE credential_name='DMP_CRED')",
     "credential is reused if present"},
    {R"(IF n=0 THEN)", "credential is reused if present"},
    {R"(SELECT TO_CLOB\(BFILENAME\('DATA_PUMP_DIR',.*\)\)INTO c FROM dual)",
     "the log tail is read back to check its last line"},
    {R"(n:=DBMS_LOB\.GETLENGTH\(c\))", "the log tail is read back to check its last line"},
    {R"(SELECT username FROM dba_users WHERE username='WKSP_URPREPROD')",
     "an existing user is an error unless --reuse-user"},
    {R"((ELSE )?DBMS_CLOUD\.UPDATE_CREDENTIAL\(credential_name=>'DMP_CRED',attribute=>'(USERNAME|PASSWORD)',value=>.*\))",
     "an existing credential gets the current user and token"},
    {R"(SELECT enabled INTO ?:enabled FROM user_credentials WHERE credential_name='DMP_CRED')",
     "a disabled credential is refused with the command that enables it"},
    {R"(DBMS_DATAPUMP\.SET_PARAMETER\(h,'FLASHBACK_TIME',.*\))", "a consistent dump (issue 11, defect 6)"},
    {R"(WITH f AS\(SELECT TO_CLOB\(BFILENAME\('DATA_PUMP_DIR',.*)",
     "the whole log is read back: its verdict, its errors and its rows per table"},
    {R"(SELECT owner,job_name,enabled,state FROM dba_scheduler_jobs WHERE owner='WKSP_URPREPROD'ORDER BY job_name)",
     "the jobs are listed first, then disabled one request each so every failure is reported"},
    {R"(SELECT w\.workspace_id,.*)", "the workspace is checked before and after ADD_WORKSPACE"},
    {R"(SELECT a\.argument_name,.*)", "CREATE_USER's live signature is read first (runbook §5.2 advice)"},
    {R"(SELECT user_name,email,.*)",
     "the admin user is checked afterwards (SET_WORKSPACE can fail silently)"},
};

void expect_same(const std::string& runbook_block, const std::string& plan_block,
                 const std::vector<Deviation>& deviations = {}) {
    std::string diff = compare(runbook_block, plan_block, deviations, kAdditions);
    EXPECT_TRUE(diff.empty()) << diff << "\n--- runbook block:\n"
                              << runbook_block << "\n--- plan:\n"
                              << plan_block;
}

class OracleRunbookTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(runbook_path()))
            GTEST_SKIP()
                << "runbook text not found at " << runbook_path()
                << " (the shared data beside the checkout, ../shared/runbook; or set DBCLONE_RUNBOOK)";
        text_ = read_runbook();
        ASSERT_FALSE(text_.empty()) << "runbook not found at " << runbook_path()
                                    << " (set DBCLONE_RUNBOOK to its path)";
        blocks_ = runbook_blocks(text_);
    }
    const std::string& block(const std::string& section, std::size_t index) {
        auto it = blocks_.find(section);
        if (it == blocks_.end() || it->second.size() <= index) {
            ADD_FAILURE() << "runbook section " << section << " has no block " << index;
            static const std::string none;
            return none;
        }
        return it->second[index];
    }
    std::string text_;
    std::map<std::string, std::vector<std::string>> blocks_;
};

TEST_F(OracleRunbookTest, RunbookHasTheBlocksThisTestReads) {
    EXPECT_EQ(blocks_["1"].size(), 1u);
    EXPECT_EQ(blocks_["2"].size(), 1u);
    EXPECT_EQ(blocks_["2.2"].size(), 1u);
    EXPECT_EQ(blocks_["4"].size(), 2u);
    EXPECT_EQ(blocks_["5.1"].size(), 1u);
    EXPECT_EQ(blocks_["5.2"].size(), 1u);
    EXPECT_EQ(blocks_["6"].size(), 1u);
    EXPECT_EQ(blocks_["6.1"].size(), 2u);
    EXPECT_EQ(blocks_["8.2"].size(), 2u);
    EXPECT_EQ(blocks_["9"].size(), 1u);
}

TEST_F(OracleRunbookTest, PlanCloneMatchesRunbookBlocks) {
    RunResult result;
    auto engine = make_engine("oracle");
    Plan plan = engine->plan(example(Command::clone), result);

    expect_same(block("1", 0), planned(step(plan, "source-credential")));
    expect_same(block("1", 0), planned(step(plan, "target-credential")));
    // dbclone chooses the export's timestamp (and so job name, prefix and log
    // name) and journals it before the job starts: in the runbook's block the
    // server's clock stands where dbclone binds :timestamp.
    std::string export_block = block("2", 0);
    const std::string server_clock = "TO_CHAR(SYSTIMESTAMP,'YYYYMMDD\"T\"HH24MISS')";
    ASSERT_NE(export_block.find(server_clock), std::string::npos);
    export_block.replace(export_block.find(server_clock), server_clock.size(), "'<ts>'");
    expect_same(export_block, planned(step(plan, "export-schema")),
                {{"h:=DBMS_DATAPUMP.OPEN('EXPORT','SCHEMA',NULL,'SCH_'||UPPER('wksp_prod')||'_<ts>')",
                  "h:=DBMS_DATAPUMP.OPEN('EXPORT','SCHEMA',NULL,'SCH_WKSP_PROD_<ts>','<version>')",
                  "the job name is chosen and journaled by dbclone before the job starts (resume finds it); "
                  "version is the target's COMPATIBLE when the target is older (ORA-39142 otherwise)"}});
    expect_same(block("2.2", 0), planned(step(plan, "export-log")));
    expect_same(block("4", 0) + ";\n" + block("4", 1), planned(step(plan, "target-user")));
    expect_same(block("5.1", 0), planned(step(plan, "workspace")));
    expect_same(block("5.2", 0), planned(step(plan, "workspace-admin")));
    expect_same(
        block("6", 0), planned(step(plan, "import-schema")),
        {{"h:=DBMS_DATAPUMP.OPEN('IMPORT','SCHEMA',NULL,'SCH_IMP_'||TO_CHAR(SYSDATE,'YYYYMMDD_HH24MI'))",
          "h:=DBMS_DATAPUMP.OPEN('IMPORT','SCHEMA',NULL,'SCH_IMP_<ts>')",
          "the job name is chosen and journaled by dbclone before the job starts, second resolution"},
         {"DBMS_DATAPUMP.ADD_FILE(h,'schema_import.log','DATA_PUMP_DIR',NULL,DBMS_DATAPUMP.KU$_FILE_"
          "TYPE_LOG_FILE)",
          "DBMS_DATAPUMP.ADD_FILE(h,'sch_imp_<ts>.log','DATA_PUMP_DIR',NULL,DBMS_DATAPUMP.KU$_FILE_TYPE_"
          "LOG_FILE)",
          "one log per job, so that a later run never reads an older run's log"}});
    expect_same(block("6.1", 0), job_action(step(plan, "compile")));
    expect_same(block("6.1", 1), job_action(step(plan, "stats")));
    expect_same(block("9", 0), planned(step(plan, "disable-jobs")),
                {{"FOR j IN(SELECT job_name FROM user_scheduler_jobs WHERE enabled='TRUE')LOOP "
                  "DBMS_SCHEDULER.DISABLE('WKSP_URPREPROD.'||j.job_name)",
                  "DBMS_SCHEDULER.DISABLE(name=>'WKSP_URPREPROD.\"<job>\"',force=>TRUE)",
                  "runs as ADMIN, so user_scheduler_jobs would list ADMIN's jobs: the jobs are read from "
                  "dba_scheduler_jobs and disabled one request each (quoted names, force for running ones)"},
                 {"END LOOP", "", "the loop is dbclone's, one request per job"}});
}

TEST_F(OracleRunbookTest, PlanRefreshMatchesRunbookBlocks) {
    RunResult result;
    Plan plan = make_engine("oracle")->plan(example(Command::refresh), result);
    expect_same(
        block("8.2", 0), planned(step(plan, "refresh-import")),
        {{"DBMS_DATAPUMP.SET_PARAMETER(h,'DATA_OPTIONS',2)", "",
          "bit 2 is XMLTYPE_CLOB, not DISABLE_REFERENTIAL_CONSTRAINTS; dbclone disables the FKs itself"},
         {"h:=DBMS_DATAPUMP.OPEN('IMPORT','SCHEMA',NULL,'SCH_REFRESH_'||TO_CHAR(SYSDATE,'YYYYMMDD_HH24MI'))",
          "h:=DBMS_DATAPUMP.OPEN('IMPORT','SCHEMA',NULL,'SCH_REFRESH_<ts>')",
          "the job name is chosen and journaled by dbclone before the job starts, second resolution"},
         {"DBMS_DATAPUMP.ADD_FILE(h,'schema_refresh.log','DATA_PUMP_DIR',NULL,DBMS_DATAPUMP.KU$_FILE_TYPE_"
          "LOG_"
          "FILE)",
          "DBMS_DATAPUMP.ADD_FILE(h,'sch_refresh_<ts>.log','DATA_PUMP_DIR',NULL,DBMS_DATAPUMP.KU$_FILE_TYPE_"
          "LOG_FILE)",
          "one log per job, so that a later run never reads an older run's log"}});
    expect_same(block("8.2", 1), job_action(step(plan, "stats")));
    // The foreign keys are handled around the import, as the plan shows.
    std::vector<std::string> ids;
    for (const auto& s : plan.steps()) ids.push_back(s.id);
    auto at = [&](const std::string& id) { return std::find(ids.begin(), ids.end(), id) - ids.begin(); };
    EXPECT_LT(at("refresh-disable"), at("refresh-import"));
    EXPECT_LT(at("refresh-log"), at("refresh-enable"));
    EXPECT_NE(step(plan, "refresh-enable").detail.find("ENABLE VALIDATE"), std::string::npos);
}

TEST_F(OracleRunbookTest, ComparisonNoticesADifference) {
    // The comparison must be able to fail: a changed value and an extra
    // statement are both reported.
    EXPECT_FALSE(compare("BEGIN X('A'); END;", "BEGIN X('B'); END;", {}, kAdditions).empty());
    EXPECT_FALSE(compare("BEGIN X('A'); END;", "BEGIN X('A'); DROP_ALL; END;", {}, kAdditions).empty());
    EXPECT_TRUE(compare("BEGIN X('<any>'); END;", "BEGIN\n  X( 'B' );\nEND;", {}, kAdditions).empty());
}

TEST(OraclePlanTest, RefreshRefusesTargetThatIsTheSource) {
    Request r = example(Command::refresh);
    r.target = r.source;
    r.target_schema = r.source_schema;
    RunResult result;
    EXPECT_THROW(make_engine("oracle")->plan(r, result), Error);
}

TEST(OraclePlanTest, RejectsNamesThatCouldInjectSql) {
    Request r = example(Command::clone);
    r.target_schema = "X\" ; DROP USER ADMIN --";
    RunResult result;
    try {
        make_engine("oracle")->plan(r, result);
        FAIL() << "plan accepted an invalid schema name";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
    }
    Request w = example(Command::clone);
    w.engine_options["workspace"] = "UR'PREPROD";
    EXPECT_THROW(make_engine("oracle")->plan(w, result), Error);
}

TEST(OraclePlanTest, PlanTextShowsEveryStepWithoutSecrets) {
    RunResult result;
    Plan plan = make_engine("oracle")->plan(example(Command::clone), result);
    std::string text = plan.render_text();
    for (const char* id :
         {"source-credential", "export-schema", "export-wait", "export-log", "apex-export", "target-user",
          "workspace", "workspace-admin", "import-schema", "import-wait", "import-log", "compile", "stats",
          "row-counts", "apex-import", "disable-jobs", "manual-report", "verify"})
        EXPECT_NE(text.find(std::string("[") + id + "]"), std::string::npos) << id;
    EXPECT_NE(text.find("<secret>"), std::string::npos);
    EXPECT_NE(text.find("temp/ur-prod/schema/wksp_prod/"), std::string::npos);
}

TEST(OraclePlanTest, NoVerifyDropsTheChecklistStep) {
    Request r = example(Command::clone);
    r.verify_after = false;
    RunResult result;
    Plan plan = make_engine("oracle")->plan(r, result);
    for (const auto& s : plan.steps()) EXPECT_NE(s.id, "verify");
    EXPECT_EQ(plan.steps().back().id, "manual-report");
}

TEST(OraclePlanTest, KeepJobsAndAppIdChangeThePlan) {
    Request r = example(Command::clone);
    r.engine_options["keep-jobs"] = "true";
    r.engine_options["app-id"] = "auto";
    RunResult result;
    Plan plan = make_engine("oracle")->plan(r, result);
    for (const auto& s : plan.steps()) EXPECT_NE(s.id, "disable-jobs");
    EXPECT_NE(step(plan, "apex-import").detail.find("GENERATE_APPLICATION_ID"), std::string::npos);
    r.engine_options["app-id"] = "250";
    plan = make_engine("oracle")->plan(r, result);
    EXPECT_NE(step(plan, "apex-import").detail.find("-- :app_id = 250"), std::string::npos);
}

}  // namespace
}  // namespace dbclone::oracle::test
