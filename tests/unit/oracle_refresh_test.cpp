// `refresh` (runbook §8) against the scripted ORDS servers: the foreign keys
// that point at the refreshed tables and the enabled triggers are disabled
// before the TRUNCATE load and exactly those re-enabled after it (FKs WITH
// VALIDATE, violations reported); sequences only move forward.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "core/journal.h"
#include "engine/oracle/oracle_statements.h"
#include "oracle/adb_scripts.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

void script_refresh_target(OrdsTestServer& s, const ScriptOptions& options = {}) {
    s.on("r_table_name", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"owner", "WKSP_URPREPROD"},
                                            {"table_name", "ORDER_LINES"},
                                            {"constraint_name", "OL_ORDER_FK"},
                                            {"validated", "VALIDATED"},
                                            {"r_owner", "WKSP_URPREPROD"},
                                            {"r_table_name", "ORDERS"}},
                                           {{"owner", "REPORTING"},
                                            {"table_name", "R1"},
                                            {"constraint_name", "R1_CUST_FK"},
                                            {"validated", "VALIDATED"},
                                            {"r_owner", "WKSP_URPREPROD"},
                                            {"r_table_name", "CUSTOMERS"}},
                                           {{"owner", "REPORTING"},
                                            {"table_name", "R2"},
                                            {"constraint_name", "R2_ORDER_FK"},
                                            {"validated", "NOT VALIDATED"},
                                            {"r_owner", "WKSP_URPREPROD"},
                                            {"r_table_name", "ORDERS"}}});
    });
    s.on("dba_tab_identity_cols", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"table_name", "EVENTS"},
                                            {"column_name", "EVENT_ID"},
                                            {"generation_type", "BY DEFAULT"},
                                            {"default_on_null", "YES"}},
                                           {{"table_name", "ORDERS"},
                                            {"column_name", "ID"},
                                            {"generation_type", "ALWAYS"},
                                            {"default_on_null", "NO"}}});
    });
    s.on("FROM dba_triggers", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"owner", "WKSP_URPREPROD"}, {"trigger_name", "ORDERS_BIU"}}});
    });
    s.on("ENABLE VALIDATE CONSTRAINT \"R1_CUST_FK\"", [](const Received& r, int) {
        return error_reply(r.statement(), 2298,
                           "ORA-02298: cannot validate (REPORTING.R1_CUST_FK) - parent keys not found");
    });
    s.on("ALTER TABLE", [](const Received& r, int) { return ddl_reply(r.statement(), "Table altered."); });
    s.on("ALTER TRIGGER",
         [](const Received& r, int) { return ddl_reply(r.statement(), "Trigger altered."); });
    s.on("dba_cons_columns", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"child_column", "CUSTOMER_ID"}, {"parent_column", "ID"}}});
    });
    s.on("SELECT COUNT(*) AS n FROM", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"n", 3}}});
    });
    script_target(s, options);
}

// The ALTERs of refresh-disable, in order.
std::vector<std::string> disables() {
    return {
        "ALTER TABLE \"WKSP_URPREPROD\".\"ORDER_LINES\" DISABLE CONSTRAINT \"OL_ORDER_FK\"",
        "ALTER TABLE \"REPORTING\".\"R1\" DISABLE CONSTRAINT \"R1_CUST_FK\"",
        "ALTER TABLE \"REPORTING\".\"R2\" DISABLE CONSTRAINT \"R2_ORDER_FK\"",
        "ALTER TRIGGER \"WKSP_URPREPROD\".\"ORDERS_BIU\" DISABLE",
    };
}

// The ALTERs that restore them: NOT VALIDATED comes back NOVALIDATE.
std::vector<std::string> enables() {
    return {
        "ALTER TRIGGER \"WKSP_URPREPROD\".\"ORDERS_BIU\" ENABLE",
        "ALTER TABLE \"WKSP_URPREPROD\".\"ORDER_LINES\" ENABLE VALIDATE CONSTRAINT \"OL_ORDER_FK\"",
        "ALTER TABLE \"REPORTING\".\"R1\" ENABLE VALIDATE CONSTRAINT \"R1_CUST_FK\"",
        "ALTER TABLE \"REPORTING\".\"R2\" ENABLE NOVALIDATE CONSTRAINT \"R2_ORDER_FK\"",
    };
}

std::vector<std::string> alter_statements(const OrdsTestServer& server) {
    std::vector<std::string> alters;
    for (const auto& r : server.requests())
        if (r.statement().rfind("ALTER ", 0) == 0) alters.push_back(r.statement());
    return alters;
}

class OracleRefreshTest : public ::testing::Test {
protected:
    void SetUp() override {
        set_test_secrets(env_);
        script_source(source);
        script_refresh_target(target);
    }

    Request request() {
        return runbook_request(Command::refresh, source, target,
                               {{"workspace", "UR_PREPROD"}, {"app", "100"}, {"no-preflight", "true"}});
    }

    void run(const Request& r) {
        Journal journal;
        run(r, journal);
    }

    void run(const Request& r, Journal& journal) { run_oracle(r, result, journal); }

    // Position of the first target request containing `needle`.
    long first(const std::string& needle) {
        auto reqs = target.requests();
        for (std::size_t i = 0; i < reqs.size(); ++i)
            if (reqs[i].statement().find(needle) != std::string::npos) return static_cast<long>(i);
        return -1;
    }

    ScopedEnv env_;
    OrdsTestServer source;
    OrdsTestServer target;
    RunResult result;
};

TEST_F(OracleRefreshTest, DisablesAroundTheLoadAndValidatesAfter) {
    ASSERT_NO_THROW(run(request()));

    std::vector<std::string> alters = alter_statements(target);
    std::vector<std::string> expected = disables();
    for (const auto& a : enables()) expected.push_back(a);
    for (const char* a : {
             // identity columns restart past their rows, keeping their kind
             "ALTER TABLE \"WKSP_URPREPROD\".\"EVENTS\" MODIFY (\"EVENT_ID\" GENERATED BY DEFAULT ON NULL AS "
             "IDENTITY (START WITH LIMIT VALUE))",
             "ALTER TABLE \"WKSP_URPREPROD\".\"ORDERS\" MODIFY (\"ID\" GENERATED ALWAYS AS IDENTITY (START "
             "WITH "
             "LIMIT VALUE))",
             "ALTER SEQUENCE \"WKSP_URPREPROD\".\"ORDERS_SEQ\" RESTART START WITH 6000",
             // beyond 2^53: exact, no double on the way
             "ALTER SEQUENCE \"WKSP_URPREPROD\".\"BIG_SEQ\" RESTART START WITH 9007199254740994000",
         })
        expected.push_back(a);
    EXPECT_EQ(alters, expected);

    long import = first("OPEN('IMPORT'");
    ASSERT_GE(import, 0);
    EXPECT_LT(first("DISABLE CONSTRAINT"), import);
    EXPECT_LT(first("DISABLE"), import);
    EXPECT_GT(first("ENABLE VALIDATE"), first("BFILENAME"));  // after the load finished and its log was read

    auto imp = target.requests_with("OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_NE(imp[0].statement().find("'TABLE_EXISTS_ACTION', 'TRUNCATE'"), std::string::npos);
    EXPECT_NE(imp[0].statement().find("'INCLUDE_PATH_EXPR', 'IN (''TABLE_DATA'')'"), std::string::npos);
    EXPECT_EQ(imp[0].statement().find("SET_PARAMETER(h, 'DATA_OPTIONS'"), std::string::npos);
    EXPECT_EQ(imp[0].bind("log_file"), lower(imp[0].bind("job_name")) + ".log");

    // The orphan rows of the FK that no longer validates are counted.
    auto orphans = target.requests_with("SELECT COUNT(*) AS n FROM");
    ASSERT_EQ(orphans.size(), 1u);
    EXPECT_EQ(orphans[0].statement(),
              "SELECT COUNT(*) AS n FROM \"REPORTING\".\"R1\" c WHERE 1 = 1 AND c.\"CUSTOMER_ID\" IS NOT "
              "NULL AND NOT "
              "EXISTS (SELECT 1 FROM \"WKSP_URPREPROD\".\"CUSTOMERS\" p WHERE p.\"ID\" = c.\"CUSTOMER_ID\")");
    bool reported = false;
    for (const auto& c : result.report.checks())
        if (c.name == "REPORTING.R1_CUST_FK") {
            reported = true;
            EXPECT_EQ(c.status, CheckStatus::fail);
            EXPECT_NE(c.evidence.find("3 rows"), std::string::npos);
        } else if (c.name == "WKSP_URPREPROD.OL_ORDER_FK") {
            EXPECT_EQ(c.status, CheckStatus::pass);
        }
    EXPECT_TRUE(reported);

    // A refresh keeps user, workspace and application.
    EXPECT_TRUE(target.requests_with("CREATE USER").empty());
    EXPECT_TRUE(target.requests_with("ADD_WORKSPACE").empty());
    EXPECT_TRUE(target.requests_with("APEX_APPLICATION_INSTALL.INSTALL").empty());
    EXPECT_EQ(target.requests_with("DBMS_SCHEDULER.CREATE_JOB").size(), 1u);  // statistics
}

// A refresh that fails while the foreign keys are disabled restores them
// before the error goes on; the resumed run disables them again, then
// finishes and restores them once more.
TEST(OracleRefreshFailure, FailedImportRestoresThenResumeDisablesAgain) {
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer source, target;
    ScriptOptions options;
    options.import_503_times = 1;
    script_source(source);
    script_refresh_target(target, options);
    Request r = runbook_request(Command::refresh, source, target, {{"no-preflight", "true"}});
    r.sequences = SequencesMode::keep;
    RunResult result;
    Journal journal;
    try {
        run_oracle(r, result, journal);
        FAIL() << "the 503 did not stop the refresh";
    } catch (const Error& e) {
        EXPECT_NE(e.one_line().find("step refresh-import"), std::string::npos) << e.one_line();
    }
    std::vector<std::string> expected = disables();
    for (const auto& a : enables()) expected.push_back(a);
    EXPECT_EQ(alter_statements(target), expected);
    EXPECT_EQ(journal.get("refresh.state").value_or(""), "restored");

    ASSERT_NO_THROW(run_oracle(r, result, journal));
    for (const auto& a : disables()) expected.push_back(a);
    for (const auto& a : enables()) expected.push_back(a);
    auto alters = alter_statements(target);
    ASSERT_GE(alters.size(), expected.size());
    alters.resize(expected.size());  // the identity ALTERs follow
    EXPECT_EQ(alters, expected);
    // The refresh-import started once, after the FKs were disabled again.
    EXPECT_EQ(target.requests_with("OPEN('IMPORT'").size(), 2u);
}

// An import log with an error other than the target user existing fails the
// run (ORA-39151: a table was skipped, so it kept its old rows).
TEST(OracleImportLog, UnexpectedErrorsFailTheRun) {
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer source, target;
    ScriptOptions options;
    options.import_errors =
        "ORA-31684: Object type USER:\"WKSP_URPREPROD\" already exists\n"
        "ORA-39151: Table \"WKSP_URPREPROD\".\"T0001\" exists. All dependent metadata and data will be "
        "skipped due to table_exists_action of skip\n";
    options.import_error_count = 2;
    script_source(source);
    script_refresh_target(target, options);
    Request r = runbook_request(Command::refresh, source, target, {{"no-preflight", "true"}});
    RunResult result;
    Journal journal;
    try {
        run_oracle(r, result, journal);
        FAIL() << "an unexpected import error was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::remote_job);
        EXPECT_NE(e.message().find("ORA-39151"), std::string::npos) << e.message();
        EXPECT_EQ(e.message().find("ORA-31684"), std::string::npos) << e.message();
    }
    // The failure restored what refresh-disable had disabled.
    auto alters = alter_statements(target);
    ASSERT_GE(alters.size(), 8u);
    EXPECT_EQ(alters.back(), enables().back());
}

TEST_F(OracleRefreshTest, SequencesKeepLeavesThemAlone) {
    Request r = request();
    r.sequences = SequencesMode::keep;
    ASSERT_NO_THROW(run(r));
    EXPECT_TRUE(target.requests_with("ALTER SEQUENCE").empty());
}

}  // namespace
}  // namespace dbclone::oracle::test
