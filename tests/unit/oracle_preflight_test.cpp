// The read-only preflight (`dbclone doctor`, first step of clone/refresh/
// export): one scripted ORDS scenario per failure it names; each must yield
// its report line with the fix, stop the run before anything is written, and
// a clean pair of databases must pass every line.
#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "engine/engine.h"
#include "oracle/adb_scripts.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

struct Scenario {
    std::string name;
    std::function<void(OrdsTestServer& source, OrdsTestServer& target)> before;  // rules that win
    std::string line;  // the report line that must fail (or warn)
    std::string fix;   // text its fix must contain
    CheckStatus status = CheckStatus::fail;
    ScriptOptions options = {};
};

Scenario make(std::string name, std::function<void(OrdsTestServer&, OrdsTestServer&)> before,
              std::string line, std::string fix, CheckStatus status = CheckStatus::fail,
              ScriptOptions options = {}) {
    Scenario s;
    s.name = std::move(name);
    s.before = std::move(before);
    s.line = std::move(line);
    s.fix = std::move(fix);
    s.status = status;
    s.options = std::move(options);
    return s;
}

class OraclePreflightTest : public ::testing::TestWithParam<Scenario> {};

Request clone_request(const OrdsTestServer& source, const OrdsTestServer& target) {
    return runbook_request(Command::clone, source, target,
                           {{"workspace", "UR_PREPROD"}, {"app", "100"}, {"retry-ms", "0"}});
}

TEST_P(OraclePreflightTest, NamesTheProblemAndItsFix) {
    const Scenario& sc = GetParam();
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer source, target;
    if (sc.before) sc.before(source, target);
    script_preflight(source, false);
    script_preflight(target, true);
    script_source(source, sc.options);
    script_target(target, sc.options);
    RunResult result;
    Plan plan = make_engine("oracle")->plan(clone_request(source, target), result);
    ASSERT_EQ(plan.steps().front().id, "preflight");
    Journal journal;
    Progress progress(Progress::Style::quiet);
    bool stopped = false;
    try {
        run_plan(plan, journal, progress);
    } catch (const Error& e) {
        stopped = true;
        EXPECT_EQ(e.kind(), ErrorKind::unsupported) << e.one_line();
        EXPECT_NE(e.one_line().find("step preflight"), std::string::npos) << e.one_line();
        EXPECT_NE(e.hint().find(sc.fix), std::string::npos) << e.hint();
    }
    EXPECT_EQ(stopped, sc.status == CheckStatus::fail);
    const Check* found = nullptr;
    for (const auto& c : result.report.checks())
        if (c.category == "preflight" && c.name.find(sc.line) != std::string::npos &&
            (found == nullptr || c.status != CheckStatus::pass))
            found = &c;
    ASSERT_NE(found, nullptr) << sc.line << "\n" << result.report.to_text(true);
    EXPECT_EQ(found->status, sc.status) << found->evidence;
    EXPECT_NE(found->evidence.find("fix: "), std::string::npos);
    EXPECT_NE(found->evidence.find(sc.fix), std::string::npos) << found->evidence;
    if (stopped) {
        // Read-only: nothing was created, exported or imported.
        for (auto* s : {&source, &target}) {
            EXPECT_TRUE(s->requests_with("CREATE_CREDENTIAL").empty());
            EXPECT_TRUE(s->requests_with("DBMS_DATAPUMP.OPEN").empty());
            EXPECT_TRUE(s->requests_with("CREATE USER").empty());
        }
    }
}

Reply http(int status) {
    return Reply{status, R"({"code":"Unauthorized"})"};
}

INSTANTIATE_TEST_SUITE_P(
    Failures, OraclePreflightTest,
    ::testing::Values(
        make(
            "TargetUnauthenticated",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                tgt.override_all([](const Received&) { return http(401); });
            },
            "ORDS on the target", "DBCLONE_ORACLE_TARGET_PASSWORD"),
        make(
            "SourceUnreachable",
            [](OrdsTestServer& src, OrdsTestServer&) {
                src.override_all([](const Received&) { return http(404); });
            },
            "ORDS on the source", "https://<host>/ords/admin"),
        make("ApexNewerOnTheSource", nullptr, "APEX versions", "upgrade APEX on the target",
             CheckStatus::fail,
             [] {
                 ScriptOptions o;
                 o.source_apex = "24.2.0";
                 return o;
             }()),
        make(
            "BucketRefusesTheCredential",
            [](OrdsTestServer& src, OrdsTestServer&) {
                src.on("DBMS_CLOUD.LIST_OBJECTS", [](const Received& r, int) {
                    return error_reply(r.statement(), 20401,
                                       "ORA-20401: Authorization failed for URI - https://objectstorage...");
                });
            },
            "can list the bucket", "DBCLONE_OCI_AUTH_TOKEN"),
        make(
            "TargetStorageTooSmall",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                // 100 MiB may be used, 60 MiB are: the 70 MiB schema does not fit.
                tgt.on("FROM dba_data_files", [](const Received& r, int) {
                    return query_reply(
                        r.statement(),
                        {{{"max_bytes", "104857600"}, {"used_bytes", "62914560"}, {"schema_bytes", "0"}}});
                });
            },
            "free storage on the target", "add storage to the target Autonomous Database"),
        make(
            "TargetStorageTight",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                // 75 MiB free for a 70 MiB schema: it fits, with less than 20% to spare.
                tgt.on("FROM dba_data_files", [](const Received& r, int) {
                    return query_reply(
                        r.statement(),
                        {{{"max_bytes", "104857600"}, {"used_bytes", "26214400"}, {"schema_bytes", "0"}}});
                });
            },
            "free storage on the target", "storage auto scaling", CheckStatus::warn),
        make(
            "CredentialMissingIsCreatedLater",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                tgt.on("DBMS_CLOUD.LIST_OBJECTS", [](const Received& r, int) {
                    return error_reply(r.statement(), 20004,
                                       "ORA-20004: Credential \"ADMIN\".\"DMP_CRED\" does not exist");
                });
            },
            "can list the bucket", "the credential step creates it", CheckStatus::warn),
        make(
            "EmptySourceSchema",
            [](OrdsTestServer& src, OrdsTestServer&) {
                src.on("FROM dba_segments", [](const Received& r, int) {
                    return query_reply(r.statement(), {{{"bytes", "0"}}});
                });
            },
            "schema WKSP_PROD on the source", "check --schema"),
        make(
            "TargetUserExists",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                tgt.on("FROM dba_users", [](const Received& r, int) {
                    return query_reply(r.statement(), {{{"username", "WKSP_URPREPROD"}}});
                });
            },
            "target schema WKSP_URPREPROD is new", "--reuse-user"),
        make(
            "WorkspaceTakenByAnotherSchema",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                tgt.on("apex_workspace_schemas", [](const Received& r, int) {
                    return query_reply(
                        r.statement(),
                        {{{"workspace_id", 9}, {"workspace", "UR_PREPROD"}, {"schema_mapped", 0}}});
                });
            },
            "workspace UR_PREPROD", "another --workspace"),
        make(
            "ApplicationIdTaken",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                tgt.on("application_id = :app_id", [](const Received& r, int) {
                    return query_reply(r.statement(), {{{"application_id", 100}, {"workspace", "OTHER"}}});
                });
            },
            "application id 100 free", "--app-id auto"),
        make(
            "RoleMissingIsAWarning",
            [](OrdsTestServer&, OrdsTestServer& tgt) {
                tgt.on("FROM session_roles", [](const Received& r, int) {
                    return query_reply(r.statement(), {{{"role", "DATAPUMP_CLOUD_IMP"}}});
                });
            },
            "privileges on the target", "APEX_ADMINISTRATOR_ROLE", CheckStatus::warn)),
    [](const ::testing::TestParamInfo<Scenario>& param_info) { return param_info.param.name; });

TEST(OraclePreflight, CleanDatabasesPassEveryLine) {
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer source, target;
    script_preflight(source, false);
    script_preflight(target, true);
    script_source(source);
    script_target(target);
    RunResult result;
    Request r = clone_request(source, target);
    Plan plan = make_engine("oracle")->plan(r, result);
    Journal journal;
    Progress progress(Progress::Style::quiet);
    ASSERT_NO_THROW(run_plan(plan, journal, progress));
    int lines = 0;
    for (const auto& c : result.report.checks())
        if (c.category == "preflight") {
            ++lines;
            EXPECT_EQ(c.status, CheckStatus::pass) << c.name << ": " << c.evidence;
        }
    EXPECT_GE(lines, 10);
    // --no-preflight drops the step.
    r.engine_options["no-preflight"] = "true";
    RunResult other;
    Plan without = make_engine("oracle")->plan(r, other);
    for (const auto& s : without.steps()) EXPECT_NE(s.id, "preflight");
}

// `dbclone doctor`: the same lines, every one shown; a collision (which a
// refresh would not mind) is a warning, a failure leaves the report failing
// instead of stopping.
TEST(OracleDoctor, ReportsEveryLineAndNeverWrites) {
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer source, target;
    target.on("FROM dba_users", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"username", "WKSP_URPREPROD"}}});
    });
    source.on("DBMS_CLOUD.LIST_OBJECTS", [](const Received& r, int) {
        return error_reply(r.statement(), 20401, "ORA-20401: Authorization failed for URI");
    });
    script_preflight(source, false);
    script_preflight(target, true);
    script_source(source);
    script_target(target);
    Request r = clone_request(source, target);
    r.command = Command::doctor;
    RunResult result;
    Plan plan = make_engine("oracle")->plan(r, result);
    ASSERT_EQ(plan.steps().size(), 1u);
    Journal journal;
    Progress progress(Progress::Style::quiet);
    ASSERT_NO_THROW(run_plan(plan, journal, progress));
    EXPECT_TRUE(result.report.has_failures());
    bool bucket_failed = false, user_warned = false;
    for (const auto& c : result.report.checks()) {
        if (c.name.find("can list the bucket") != std::string::npos && c.status == CheckStatus::fail &&
            c.name.find("source") != std::string::npos)
            bucket_failed = true;
        if (c.name == "target schema WKSP_URPREPROD is new" && c.status == CheckStatus::warn)
            user_warned = true;
    }
    EXPECT_TRUE(bucket_failed) << result.report.to_text(true);
    EXPECT_TRUE(user_warned) << result.report.to_text(true);
    for (auto* s : {&source, &target})
        for (const auto& req : s->requests()) {
            std::string text = req.statement();
            while (text.rfind("--", 0) == 0)  // leading comment lines say nothing about the statement
                text =
                    text.find('\n') == std::string::npos ? std::string() : text.substr(text.find('\n') + 1);
            bool read_only = text.rfind("SELECT", 0) == 0 || text.rfind("WITH", 0) == 0 ||
                             text.find("DBMS_UTILITY.DB_VERSION") != std::string::npos;
            EXPECT_TRUE(read_only) << text.substr(0, 80);
        }
}

}  // namespace
}  // namespace dbclone::oracle::test
