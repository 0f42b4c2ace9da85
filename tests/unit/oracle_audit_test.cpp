// Issue 11's audit findings, one test each, against the scripted ORDS test
// servers (tests/oracle): what a real Autonomous Database would answer to
// each statement, and the exact requests dbclone sent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "core/error.h"
#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "core/redact.h"
#include "engine/engine.h"
#include "engine/oracle/datapump_log.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/versions.h"
#include "oracle/adb_scripts.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

class OracleAuditTest : public ::testing::Test {
protected:
    void SetUp() override { set_test_secrets(env_); }

    Request request(Command command) {
        return runbook_request(
            command, source, target,
            {{"workspace", "UR_PREPROD"}, {"app", "100"}, {"no-preflight", "true"}, {"retry-ms", "0"}});
    }

    // Runs the plan; returns the error it stopped with, if any.
    std::optional<Error> run(const Request& r, Journal& journal) {
        try {
            run_oracle(r, result, journal);
        } catch (const Error& e) {
            return e;
        }
        return std::nullopt;
    }

    const Check* check(const std::string& name) const { return find_check(result.report, name); }

    ScopedEnv env_;
    OrdsTestServer source;
    OrdsTestServer target;
    RunResult result;
};

// Defect 1: same version on both sides -> COMPATIBLE.
TEST_F(OracleAuditTest, ExportUsesCompatibleWhenTheTargetIsAsNew) {
    ScriptOptions o;
    o.target_compatible = "23.0.0";
    script_source(source, o);
    script_target(target, o);
    Journal journal;
    ASSERT_FALSE(run(request(Command::clone), journal));
    auto exp = source.requests_with("OPEN('EXPORT'");
    ASSERT_EQ(exp.size(), 1u);
    EXPECT_EQ(exp[0].bind("version"), "COMPATIBLE");
}

TEST(OracleVersions, DatapumpVersionAndExactDecimals) {
    EXPECT_EQ(datapump_version("23.0.0", "19.0.0"), "19.0.0");
    EXPECT_EQ(datapump_version("19.0.0", "23.0.0"), "COMPATIBLE");
    EXPECT_EQ(datapump_version("19.0.0", "19.0.0"), "COMPATIBLE");
    EXPECT_EQ(datapump_version("23.4.0.24.05", "21.0.0.0.0"), "21.0.0");
    EXPECT_GT(compare_versions("24.1.0", "23.2.5", 2), 0);
    EXPECT_EQ(compare_versions("24.1.3", "24.1.0", 2), 0);
    EXPECT_EQ(decimal_add("9999999999999999999999999999", 1), "10000000000000000000000000000");
    EXPECT_EQ(decimal_add("9007199254740993000", 1000), "9007199254740994000");
    EXPECT_TRUE(decimal_less("9007199254740993500", "9007199254740994000"));
    EXPECT_FALSE(decimal_less("10", "9"));
    EXPECT_THROW(decimal_add("1e10", 1), Error);
}

// Defect 3: an APEX export newer than the target's APEX stops the clone
// before any data moves.
TEST_F(OracleAuditTest, NewerSourceApexStopsBeforeTheExport) {
    ScriptOptions o;
    o.source_apex = "24.2.0";
    o.target_apex = "24.1.3";
    script_source(source, o);
    script_target(target, o);
    Journal journal;
    auto e = run(request(Command::clone), journal);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind(), ErrorKind::unsupported);
    EXPECT_NE(e->message().find("APEX 24.2.0"), std::string::npos) << e->message();
    EXPECT_NE(e->one_line().find("step compatibility"), std::string::npos);
    EXPECT_TRUE(source.requests_with("OPEN('EXPORT'").empty());
    EXPECT_TRUE(source.requests_with("CREATE_CREDENTIAL").empty());
    // Without --app the schema alone may still be cloned.
    Request schema_only = request(Command::clone);
    schema_only.engine_options.erase("app");
    Journal again;
    EXPECT_FALSE(run(schema_only, again));
}

// Defect 5: no ALL_* view anywhere: as ADMIN they hide other schemas' objects.
TEST(OracleTemplates, EveryCatalogViewIsADbaView) {
    std::regex all_view(R"(\ball_[a-z_]+\b)", std::regex::icase);
    int files = 0;
    for (const auto& f :
         std::filesystem::directory_iterator(std::string(DBCLONE_SOURCE_DIR) + "/src/engine/oracle/plsql")) {
        if (f.path().extension() != ".sql") continue;
        ++files;
        std::ifstream in(f.path());
        std::stringstream text;
        text << in.rdbuf();
        std::smatch m;
        std::string s = text.str();
        EXPECT_FALSE(std::regex_search(s, m, all_view)) << f.path().filename() << ": " << m.str();
    }
    EXPECT_GT(files, 30);
}

// Defect 9: without this run's dump, verify compares live counts on both
// sides and says so; a difference is a warning (the source moves on).
TEST_F(OracleAuditTest, StandaloneVerifySaysItComparedLiveCounts) {
    script_source(source);
    script_target(target);
    Journal journal;
    auto e = run(request(Command::verify), journal);
    ASSERT_FALSE(e) << e->one_line();
    ASSERT_NE(check("T0007"), nullptr);
    EXPECT_EQ(check("T0007")->status, CheckStatus::warn);
    EXPECT_NE(check("T0007")->evidence.find("live count"), std::string::npos) << check("T0007")->evidence;
    EXPECT_EQ(check("T0006")->status, CheckStatus::pass);
    // Recycle-bin tables are never counted.
    auto counts = target.requests_with("DBMS_XMLGEN");
    ASSERT_FALSE(counts.empty());
    EXPECT_NE(counts[0].statement().find("dropped = 'NO'"), std::string::npos);
    EXPECT_NE(counts[0].statement().find("NOT LIKE 'BIN$%'"), std::string::npos);
}

// Defect 9: a count that cannot be taken is reported, never thrown.
TEST_F(OracleAuditTest, AFailedLiveCountIsAWarningNotAnAbort) {
    source.on("DBMS_XMLGEN", [](const Received& r, int) {
        return error_reply(r.statement(), 1013, "ORA-01013: user requested cancel of current operation");
    });
    script_source(source);
    script_target(target);
    Journal journal;
    auto e = run(request(Command::verify), journal);
    ASSERT_FALSE(e) << e->one_line();
    ASSERT_NE(check("live row counts on the source"), nullptr);
    EXPECT_EQ(check("live row counts on the source")->status, CheckStatus::warn);
}

TEST(OracleDatapumpLog, RowsPerTableErrorsAndVerdict) {
    auto log = parse_datapump_log(
        "Starting \"ADMIN\".\"J\":\n"
        ". . exported \"S\".\"SALES\":\"Q1\"   1.412 MB   43687 rows\n"
        ". . exported \"S\".\"SALES\":\"Q2\"   1.412 MB   13 rows in 1 seconds using direct_path\n"
        ". . exported \"S\".\"EMPTY\"          0 KB       0 rows\n"
        "ORA-39082: Object type PROCEDURE:\"S\".\"P\" created with compilation warnings\n"
        "ORA-31684: Object type USER:\"T\" already exists\n"
        "ORA-31684: Object type SEQUENCE:\"T\".\"SEQ\" already exists\n"
        "Job \"ADMIN\".\"J\" completed with 3 error(s) at Tue May 19 21:55:10 2026 elapsed 0 00:04:02\n");
    EXPECT_EQ(log.rows.at("SALES"), 43700);
    EXPECT_EQ(log.rows.at("EMPTY"), 0);
    EXPECT_TRUE(log.with_errors);
    EXPECT_FALSE(log.success);
    auto bad = unexpected_import_errors(log, "T");
    ASSERT_EQ(bad.size(), 1u);  // the existing sequence keeps its old value
    EXPECT_NE(bad[0].find("SEQUENCE"), std::string::npos);
}

// Defect 12: the signature is read from the package the public synonym
// points at, and a workspace admin that is not is_admin stops the clone.
TEST_F(OracleAuditTest, WorkspaceAdminMustBeAnAdmin) {
    target.on("apex_workspace_apex_users", [](const Received& r, int call) {
        if (call == 1) return query_reply(r.statement(), {});
        return query_reply(r.statement(), {{{"user_name", "ADMIN"},
                                            {"email", "you@example.com"},
                                            {"is_admin", "No"},
                                            {"is_application_developer", "No"},
                                            {"account_locked", "No"}}});
    });
    script_source(source);
    script_target(target);
    Journal journal;
    auto e = run(request(Command::clone), journal);
    ASSERT_TRUE(e);
    EXPECT_NE(e->message().find("is not a workspace administrator"), std::string::npos) << e->message();
    EXPECT_NE(e->one_line().find("step workspace-admin"), std::string::npos);
    auto signature = target.requests_with("dba_arguments");
    ASSERT_EQ(signature.size(), 1u);
    EXPECT_NE(
        signature[0].statement().find("JOIN dba_synonyms s ON a.owner = s.table_owner AND a.package_name = "
                                      "s.table_name"),
        std::string::npos);
    EXPECT_EQ(signature[0].statement().find("package_name = 'APEX_UTIL'"), std::string::npos);
    // The fallback after PLS-00306 still asks for an admin.
    auto calls = target.requests_with("APEX_UTIL.CREATE_USER");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[1].bind("developer_privs"), "ADMIN");
    EXPECT_TRUE(target.requests_with("OPEN('IMPORT'").empty());
}

// Defect 13: an existing credential is updated, and a disabled one stops the run.
TEST_F(OracleAuditTest, ExistingCredentialIsUpdatedAndMustBeEnabled) {
    ScriptOptions o;
    o.credential_enabled = "FALSE";
    script_source(source, o);
    script_target(target, o);
    Journal journal;
    auto e = run(request(Command::export_), journal);
    ASSERT_TRUE(e);
    EXPECT_NE(e->message().find("credential DMP_CRED on the source is disabled"), std::string::npos);
    EXPECT_NE(e->hint().find("DBMS_CREDENTIAL.ENABLE_CREDENTIAL"), std::string::npos);
    auto cred = source.requests_with("CREATE_CREDENTIAL");
    ASSERT_EQ(cred.size(), 1u);
    EXPECT_NE(cred[0].statement().find("DBMS_CLOUD.UPDATE_CREDENTIAL(credential_name => v_name, attribute => "
                                       "'PASSWORD', value => :password)"),
              std::string::npos);
    EXPECT_TRUE(source.requests_with("OPEN('EXPORT'").empty());
}

// Robustness: a resumed export finds the job it started (by the journaled
// name) and does not start a second one.
TEST_F(OracleAuditTest, ResumedExportFindsItsJobByName) {
    source.on("log_files", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"state", "EXECUTING"}, {"log_files", 1}}});
    });
    script_source(source);
    Journal journal;
    journal.set("export.timestamp", "20260101T000000");
    Request r = request(Command::export_);
    r.engine_options.erase("app");
    auto e = run(r, journal);
    ASSERT_FALSE(e) << e->one_line();
    EXPECT_TRUE(source.requests_with("OPEN('EXPORT'").empty());
    auto lookup = source.requests_with("log_files");
    ASSERT_EQ(lookup.size(), 1u);
    EXPECT_EQ(lookup[0].bind("job_name"), "SCH_WKSP_PROD_20260101T000000");
    auto polled = source.requests_with("attached_sessions");
    ASSERT_FALSE(polled.empty());
    EXPECT_EQ(polled[0].bind("job_name"), "SCH_WKSP_PROD_20260101T000000");
}

// Robustness: queries (idempotent) are retried on 503/429; PL/SQL is not.
TEST_F(OracleAuditTest, QueriesAreRetriedOnTransientHttpErrors) {
    int failures = 0;
    source.override_all([&failures](const Received& r) -> Reply {
        if (r.statement().find("attached_sessions") != std::string::npos && failures < 3) {
            ++failures;
            return Reply{failures == 2 ? 429 : 503, "busy", "text/plain"};
        }
        return Reply{-1, "", ""};
    });
    script_source(source);
    script_target(target);
    Journal journal;
    Request r = request(Command::export_);
    r.engine_options.erase("app");
    auto e = run(r, journal);
    ASSERT_FALSE(e) << e->one_line();
    EXPECT_EQ(failures, 3);
    // Past the retries the run stops, resumable, as a connection error.
    OrdsTestServer busy;
    busy.override_all([](const Received&) { return Reply{503, "busy", "text/plain"}; });
    Request b = request(Command::verify);
    b.source = busy.base_url();
    b.target = busy.base_url();
    b.target_schema = "OTHER";
    b.engine_options["retries"] = "2";
    RunResult other;
    Plan plan = make_engine("oracle")->plan(b, other);
    Progress progress(Progress::Style::quiet);
    Journal j2;
    try {
        run_plan(plan, j2, progress);
        FAIL() << "a server that only answers 503 did not stop the run";
    } catch (const Error& err) {
        EXPECT_EQ(err.kind(), ErrorKind::connection);
    }
    EXPECT_EQ(busy.requests().size(), 3u);  // one try + two retries of the first query
}

// Robustness: '&' could be substituted by the client in CREATE USER's text.
TEST(OracleNames, PasswordsWithAmpersandAreRefused) {
    EXPECT_THROW(validate_password("abc&def123", "p"), Error);
    EXPECT_THROW(validate_password("abc\"def123", "p"), Error);
    EXPECT_NO_THROW(validate_password("Abc-def#123", "p"));
}

// Robustness: a pre-authenticated request URI's token never shows.
TEST(OraclePar, PreAuthenticatedTokenIsRedacted) {
    Request r;
    r.command = Command::export_;
    r.source = "https://ur-prod.adb.example.invalid/ords/admin";
    r.source_schema = "WKSP_PROD";
    r.engine_options = {
        {"bucket-uri",
         "https://objectstorage.uk-london-1.oraclecloud.com/p/Xy9-secretPARtoken_42/n/ns/b/bk/o/"}};
    RunResult result;
    Plan plan = make_engine("oracle")->plan(r, result);
    std::string text = redact(plan.render_text());
    EXPECT_EQ(text.find("Xy9-secretPARtoken_42"), std::string::npos);
    EXPECT_NE(text.find("/p/*****/n/ns/b/bk/o/"), std::string::npos);
}

}  // namespace
}  // namespace dbclone::oracle::test
