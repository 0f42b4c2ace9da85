// `dbclone import` for Oracle with its read-only preflight and with --app:
// one scripted ORDS scenario per failure the import preflight names (the
// dump set and its export's versions standing in for a source database),
// a clean import that installs the APEX export found next to the dump set,
// and the plan of both.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "core/error.h"
#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "engine/engine.h"
#include "engine/oracle/datapump_log.h"
#include "oracle/adb_scripts.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

const std::string kSet = "temp/ur-prod/schema/wksp_prod/20260510T020000/";
const std::string kApex = "temp/ur-prod/apex/100/20260510T020000/";

Request import_request(const OrdsTestServer& target, const std::map<std::string, std::string>& options = {}) {
    Request r;
    r.command = Command::import;
    r.target = target.base_url();
    r.source_schema = "WKSP_PROD";
    r.target_schema = "WKSP_URPREPROD";
    r.any_retention = true;
    r.engine_options = {{"bucket-uri", kBucket}, {"poll-ms", "0"}, {"retry-ms", "0"}};
    for (const auto& [k, v] : options) r.engine_options[k] = v;
    return r;
}

std::vector<std::string> bucket_with(bool apex) {
    auto objects = dump_set_objects(kSet);
    if (apex) objects.push_back(kApex + "f100.sql");
    return objects;
}

struct Scenario {
    std::string name;
    std::function<void(OrdsTestServer& target)> before;  // rules that win
    std::string line;                                    // the report line that fails (or warns)
    std::string fix;                                     // text its fix must contain
    CheckStatus status = CheckStatus::fail;
    bool app = false;
    bool reload = false;  // --table-exists-action truncate
    bool apex_in_bucket = true;
    bool export_failed = false;
    std::string versions = kVersionsNote;
};

class OracleImportPreflightTest : public ::testing::TestWithParam<Scenario> {};

std::string scenario_name(const ::testing::TestParamInfo<Scenario>& param) {
    return param.param.name;
}

TEST_P(OracleImportPreflightTest, NamesTheProblemAndItsFix) {
    const Scenario& sc = GetParam();
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer target;
    if (sc.before) sc.before(target);
    script_bucket(target, bucket_with(sc.apex_in_bucket),
                  sc.export_failed ? std::vector<std::string>{kSet} : std::vector<std::string>{},
                  sc.versions);
    script_preflight(target, true);
    if (sc.reload)
        script_refresh_target(target);
    else
        script_target(target);
    Request request = sc.app ? import_request(target, {{"app", "100"}, {"workspace", "UR_PREPROD"}})
                             : import_request(target);
    if (sc.reload) request.table_exists = TableExistsAction::truncate;
    RunResult result;
    Plan plan = make_engine("oracle")->plan(request, result);
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
    EXPECT_EQ(stopped, sc.status == CheckStatus::fail) << result.report.to_text(true);
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
        // Read-only: no credential written, nothing imported or created.
        EXPECT_TRUE(target.requests_with("CREATE_CREDENTIAL").empty());
        EXPECT_TRUE(target.requests_with("UPDATE_CREDENTIAL").empty());
        EXPECT_TRUE(target.requests_with("DBMS_DATAPUMP.OPEN").empty());
        EXPECT_TRUE(target.requests_with("CREATE USER").empty());
        EXPECT_TRUE(target.requests_with("ADD_WORKSPACE").empty());
    }
}

Scenario make(std::string name, std::function<void(OrdsTestServer&)> before, std::string line,
              std::string fix, std::function<void(Scenario&)> tweak = nullptr) {
    Scenario s;
    s.name = std::move(name);
    s.before = std::move(before);
    s.line = std::move(line);
    s.fix = std::move(fix);
    if (tweak) tweak(s);
    return s;
}

INSTANTIATE_TEST_SUITE_P(
    Failures, OracleImportPreflightTest,
    ::testing::Values(
        make(
            "TargetUnauthenticated",
            [](OrdsTestServer& tgt) {
                tgt.override_all([](const Received&) { return Reply{401, R"({"code":"x"})"}; });
            },
            "ORDS on the target", "DBCLONE_ORACLE_TARGET_PASSWORD"),
        make(
            "BucketRefusesTheCredential",
            [](OrdsTestServer& tgt) {
                tgt.on("WHERE ROWNUM <= 1", [](const Received& r, int) {
                    return error_reply(r.statement(), 20401, "ORA-20401: Authorization failed for URI");
                });
            },
            "can list the bucket", "DBCLONE_OCI_AUTH_TOKEN"),
        make(
            "NoDumpSetOfTheSchema",
            [](OrdsTestServer& tgt) {
                tgt.on("object_name LIKE '%/schema/%'",
                       [](const Received& r, int) { return query_reply(r.statement(), {}); });
            },
            "dump set of WKSP_PROD in the bucket", "export one first"),
        make("ExportOfTheDumpFailed", nullptr, "export of the dump set", "choose another set with --dump",
             [](Scenario& s) { s.export_failed = true; }),
        make("DumpNewerThanTheTarget", nullptr, "database versions", "export again for this target",
             [](Scenario& s) {
                 s.versions =
                     "dbclone: dump version 23.0.0; source database 23.4.0.24.05, COMPATIBLE 23.0.0, APEX "
                     "24.1.0";
             }),
        make("VersionsNotRecordedIsAWarning", nullptr, "database versions", "at most the target's COMPATIBLE",
             [](Scenario& s) {
                 s.versions.clear();
                 s.status = CheckStatus::warn;
             }),
        make("ApexOfTheExportNewer", nullptr, "APEX versions", "upgrade APEX on the target",
             [](Scenario& s) {
                 s.app = true;
                 s.versions =
                     "dbclone: dump version 19.0.0; source database 23.4.0.24.05, COMPATIBLE 23.0.0, APEX "
                     "24.2.0";
             }),
        make("NoApexExportNextToTheDump", nullptr, "APEX export of application 100",
             "dbclone export --app 100",
             [](Scenario& s) {
                 s.app = true;
                 s.apex_in_bucket = false;
             }),
        make(
            "TargetStorageTooSmall",
            [](OrdsTestServer& tgt) {
                // 1 MiB free for 2 MiB of dump files.
                tgt.on("FROM dba_data_files", [](const Received& r, int) {
                    return query_reply(
                        r.statement(),
                        {{{"max_bytes", "104857600"}, {"used_bytes", "103809024"}, {"schema_bytes", "0"}}});
                });
            },
            "free storage on the target", "add storage to the target Autonomous Database"),
        make(
            "TargetUserExists",
            [](OrdsTestServer& tgt) {
                tgt.on("FROM dba_users", [](const Received& r, int) {
                    return query_reply(r.statement(), {{{"username", "WKSP_URPREPROD"}}});
                });
            },
            "target schema WKSP_URPREPROD is new", "--reuse-user"),
        make(
            "WorkspaceTakenByAnotherSchema",
            [](OrdsTestServer& tgt) {
                tgt.on("apex_workspace_schemas", [](const Received& r, int) {
                    return query_reply(
                        r.statement(),
                        {{{"workspace_id", 9}, {"workspace", "UR_PREPROD"}, {"schema_mapped", 0}}});
                });
            },
            "workspace UR_PREPROD", "another --workspace", [](Scenario& s) { s.app = true; }),
        make(
            "ApplicationIdTaken",
            [](OrdsTestServer& tgt) {
                tgt.on("application_id = :app_id", [](const Received& r, int) {
                    return query_reply(r.statement(), {{{"application_id", 100}, {"workspace", "OTHER"}}});
                });
            },
            "application id 100 free", "--app-id auto", [](Scenario& s) { s.app = true; }),
        make(
            "ReloadNeedsTheSchema",
            [](OrdsTestServer& tgt) {
                tgt.on("FROM dba_users",
                       [](const Received& r, int) { return query_reply(r.statement(), {}); });
            },
            "target schema WKSP_URPREPROD exists", "import without --table-exists-action",
            [](Scenario& s) { s.reload = true; })),
    scenario_name);

TEST(OracleImportWithApp, InstallsTheApexExportFoundNextToTheDumpSet) {
    ScopedEnv env;
    set_test_secrets(env);
    OrdsTestServer target;
    script_bucket(target, bucket_with(true));
    script_preflight(target, true);
    script_target(target);
    RunResult result;
    Journal journal;
    ASSERT_NO_THROW(
        run_oracle(import_request(target, {{"app", "100"}, {"workspace", "UR_PREPROD"}}), result, journal));
    // Preflight lines all passed.
    for (const auto& c : result.report.checks())
        if (c.category == "preflight") {
            EXPECT_NE(c.status, CheckStatus::fail) << c.name << ": " << c.evidence;
        }
    // The APEX export was looked up next to the set, and installed from there.
    auto listed = target.requests_with("the files of one APEX export");
    ASSERT_FALSE(listed.empty());
    EXPECT_EQ(listed.back().bind("location_uri"), std::string(kBucket) + kApex);
    auto jobs = target.requests_with("DBMS_SCHEDULER.CREATE_JOB");
    auto install = std::find_if(jobs.begin(), jobs.end(), [](const Received& j) {
        return j.bind("job_action").find("APEX_APPLICATION_INSTALL.INSTALL") != std::string::npos;
    });
    ASSERT_NE(install, jobs.end());
    EXPECT_NE(install->bind("job_action").find(std::string(kBucket) + kApex), std::string::npos);
    EXPECT_NE(install->bind("job_action").find("f100.sql"), std::string::npos);
    // The workspace and its admin came first, as in a clone.
    EXPECT_GE(target.requests_with("apex_workspace_schemas").size(), 2u);  // preflight, workspace step
    EXPECT_FALSE(target.requests_with("APEX_UTIL.CREATE_USER").empty());
}

TEST(OracleImportWithApp, PlanShowsThePreflightAndTheApexSteps) {
    Request r;
    r.command = Command::import;
    r.target = "https://ur-qa.adb.uk-london-1.oraclecloudapps.invalid/ords/admin";  // never reached
    r.source_schema = "WKSP_PROD";
    r.target_schema = "WKSP_QA";
    r.any_retention = true;
    r.engine_options = {{"bucket-uri", kBucket}, {"app", "100"}, {"source-adb", "ur-prod"}};
    RunResult result;
    Plan plan = make_engine("oracle")->plan(r, result);
    std::vector<std::string> ids;
    for (const auto& s : plan.steps()) ids.push_back(s.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"preflight", "find-dump", "compatibility", "find-apex",
                                             "target-user", "workspace", "workspace-admin", "import-schema",
                                             "import-wait", "disable-jobs", "import-log", "compile", "stats",
                                             "row-counts", "apex-import", "verify"}));
    const std::string shown = "<retention>/ur-prod/apex/100/<newest>/";
    EXPECT_NE(plan.steps()[3].detail.find(std::string(kBucket) + shown), std::string::npos)
        << plan.steps()[3].detail;
    EXPECT_NE(plan.steps()[14].detail.find(std::string(kBucket) + shown), std::string::npos);
    EXPECT_NE(plan.steps()[0].detail.find("the files of one APEX export"), std::string::npos);

    r.engine_options["no-preflight"] = "true";
    r.engine_options.erase("app");
    RunResult plain;
    Plan without = make_engine("oracle")->plan(r, plain);
    EXPECT_EQ(without.steps().front().id, "find-dump");
    for (const auto& s : without.steps()) EXPECT_NE(s.id, "find-apex");
}

TEST(OracleDumpVersions, WrittenByTheExportAndReadBackFromItsLog) {
    DumpVersions v{"19.0.0", "23.4.0.24.05", "23.0.0", "24.1.0"};
    const std::string log =
        "Starting \"ADMIN\".\"SCH_X\":\n" + dump_versions_note(v) + "\nJob ... successfully completed\n";
    auto back = parse_dump_versions(log);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->dump_version, "19.0.0");
    EXPECT_EQ(back->source_version, "23.4.0.24.05");
    EXPECT_EQ(back->source_compatible, "23.0.0");
    EXPECT_EQ(back->source_apex, "24.1.0");
    EXPECT_FALSE(parse_dump_versions("Starting ...\nJob successfully completed\n").has_value());
}

}  // namespace
}  // namespace dbclone::oracle::test
