// `dbclone import` for Oracle (runbook §6, one dump -> many clones) and
// `dbclone dumps` (listing and pruning the bucket), against the ORDS-shaped
// test server scripted as a target ADB whose bucket holds dump sets that
// earlier exports left. No source database exists in these runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "core/error.h"
#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "dumpset/housekeeping.h"
#include "engine/engine.h"
#include "engine/oracle/oracle_run.h"
#include "engine/oracle/steps/dump_sets.h"
#include "engine/oracle/versions.h"
#include "oracle/adb_scripts.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

const std::string kOld = "temp/ur-prod/schema/wksp_prod/20260501T010000/";
const std::string kNewer = "temp/ur-prod/schema/wksp_prod/20260510T020000/";
const std::string kUnfinished = "temp/ur-prod/schema/wksp_prod/20260520T030000/";

std::vector<std::string> objects(std::initializer_list<std::vector<std::string>> sets) {
    std::vector<std::string> out;
    for (const auto& s : sets) out.insert(out.end(), s.begin(), s.end());
    return out;
}

class OracleImportTest : public ::testing::Test {
protected:
    void SetUp() override { set_test_secrets(env_); }

    Request import_request(const std::map<std::string, std::string>& options = {}) {
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

    Request dumps_request(const std::map<std::string, std::string>& options = {}) {
        Request r;
        r.command = Command::dumps;
        r.source = target.base_url();
        r.any_retention = true;
        r.engine_options = {{"bucket-uri", kBucket}, {"poll-ms", "0"}, {"retry-ms", "0"}};
        for (const auto& [k, v] : options) r.engine_options[k] = v;
        command_line_fields(r);
        return r;
    }

    void run(const Request& r) {
        Journal journal;
        run_oracle(r, result, journal);
    }

    bool warned(const std::string& text) const {
        return std::any_of(result.warnings.begin(), result.warnings.end(),
                           [&](const std::string& w) { return w.find(text) != std::string::npos; });
    }

    ScopedEnv env_;
    OrdsTestServer target;
    RunResult result;
};

TEST_F(OracleImportTest, ImportsTheNewestFinishedDumpSetAndVerifiesAgainstItsLog) {
    // Another schema's set and an unfinished newer one are not chosen.
    script_bucket(target, objects({dump_set_objects(kOld), dump_set_objects(kNewer),
                                   dump_set_objects(kUnfinished, false),
                                   dump_set_objects("temp/ur-prod/schema/other/20260530T000000/")}));
    script_preflight(target, true);
    script_target(target);
    ASSERT_NO_THROW(run(import_request()));

    auto imp = target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_EQ(imp[0].bind("dump_uri"), std::string(kBucket) + kNewer + "dump_%U.dmp");
    EXPECT_EQ(imp[0].bind("source_schema"), "WKSP_PROD");
    EXPECT_EQ(imp[0].bind("target_schema"), "WKSP_URPREPROD");
    // The export log read back is that set's.
    auto fetched = target.requests_with("TO_CLOB(DBMS_CLOUD.GET_OBJECT");
    ASSERT_FALSE(fetched.empty());
    EXPECT_EQ(fetched[0].bind("object_uri"), std::string(kBucket) + kNewer + "export.log");
    // The import log is shipped next to the dump it read.
    auto shipped = target.requests_with(":log_uri");
    ASSERT_EQ(shipped.size(), 1u);
    EXPECT_EQ(shipped[0].bind("log_uri"), std::string(kBucket) + kNewer + "import.log");
    // The clone's target half: user, job disabling, compile, statistics.
    EXPECT_EQ(target.requests_with("CREATE USER").size(), 1u);
    EXPECT_EQ(target.requests_with("DBMS_SCHEDULER.DISABLE").size(), 2u);
    auto jobs = target.requests_with("DBMS_SCHEDULER.CREATE_JOB");
    EXPECT_TRUE(std::any_of(jobs.begin(), jobs.end(), [](const Received& j) {
        return j.bind("job_action").find("DBMS_UTILITY.COMPILE_SCHEMA('WKSP_URPREPROD'") != std::string::npos;
    }));
    // Verified against the dump's own counts: the scripted import log loaded
    // one row too many into T0007.
    const Check* t7 = find_check(result.report, "T0007");
    ASSERT_NE(t7, nullptr);
    EXPECT_EQ(t7->status, CheckStatus::fail);
    EXPECT_NE(t7->evidence.find("dump (export log) 70 rows"), std::string::npos) << t7->evidence;
    const Check* t1 = find_check(result.report, "T0001");
    ASSERT_NE(t1, nullptr);
    EXPECT_EQ(t1->status, CheckStatus::pass);
    // No live COUNT(*), and nothing asked of a source.
    EXPECT_TRUE(target.requests_with("DBMS_XMLGEN").empty());
    EXPECT_TRUE(target.requests_with("dba_db_links").empty());
}

TEST_F(OracleImportTest, DumpOptionPicksThatSet) {
    script_bucket(target, objects({dump_set_objects(kOld), dump_set_objects(kNewer)}));
    script_preflight(target, true);
    script_target(target);
    Request r = import_request();
    r.dump_path = "20260501T010000";
    ASSERT_NO_THROW(run(r));
    auto imp = target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_EQ(imp[0].bind("dump_uri"), std::string(kBucket) + kOld + "dump_%U.dmp");

    // A named set whose export never finished is refused, naming it.
    OrdsTestServer other;
    script_bucket(other, objects({dump_set_objects(kUnfinished, false)}));
    script_target(other);
    // (find-dump's own check: the preflight, which names it too, is off.)
    Request u = import_request({{"no-preflight", "true"}});
    u.target = other.base_url();
    u.dump_path = "20260520T030000";
    Journal journal;
    RunResult res;
    try {
        run_oracle(u, res, journal);
        ADD_FAILURE() << "an unfinished dump set was imported";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::not_found);
        EXPECT_NE(e.message().find("no export.log"), std::string::npos) << e.message();
    }
    EXPECT_TRUE(other.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'").empty());
}

TEST_F(OracleImportTest, ADumpWhoseExportFailedIsNotImported) {
    script_bucket(target, objects({dump_set_objects(kNewer)}), {kNewer});
    script_preflight(target, true);
    script_target(target);
    try {
        // find-dump's own check (the preflight's line: oracle_import_preflight_test).
        run(import_request({{"no-preflight", "true"}}));
        ADD_FAILURE() << "a failed export was imported";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::remote_job);
        EXPECT_NE(e.message().find("ORA-01555"), std::string::npos) << e.message();
    }
    EXPECT_TRUE(target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'").empty());
    EXPECT_TRUE(target.requests_with("CREATE USER").empty());
}

TEST_F(OracleImportTest, SetsFromSeveralDatabasesNeedAChoice) {
    const std::string other_adb = "temp/ur-test/schema/wksp_prod/20260511T000000/";
    script_bucket(target, objects({dump_set_objects(kNewer), dump_set_objects(other_adb)}));
    script_preflight(target, true);
    script_target(target);
    Journal journal;
    try {
        run_oracle(import_request(), result, journal);
        ADD_FAILURE() << "the import chose between two databases by itself";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_NE(e.message().find("temp/ur-prod"), std::string::npos) << e.message();
        EXPECT_NE(e.message().find("temp/ur-test"), std::string::npos) << e.message();
    }
    // The choice is the first step: nothing was recorded, so the corrected
    // command starts afresh instead of finding this run's journal.
    EXPECT_TRUE(journal.records_nothing_but({}));
    ASSERT_NO_THROW(run(import_request({{"source-adb", "ur-prod"}})));
    auto imp = target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_EQ(imp[0].bind("dump_uri"), std::string(kBucket) + kNewer + "dump_%U.dmp");
}

TEST_F(OracleImportTest, TruncateReloadsTheDataOfTheExistingSchemaAsARefreshDoes) {
    script_bucket(target, objects({dump_set_objects(kNewer)}));
    script_preflight(target, true);
    script_refresh_target(target);
    Request r = import_request();
    r.table_exists = TableExistsAction::truncate;
    ASSERT_NO_THROW(run(r));
    EXPECT_TRUE(target.requests_with("CREATE USER").empty());
    auto imp = target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_NE(imp[0].statement().find("'TABLE_EXISTS_ACTION', 'TRUNCATE'"), std::string::npos);
    EXPECT_EQ(imp[0].bind("dump_uri"), std::string(kBucket) + kNewer + "dump_%U.dmp");
    // Foreign keys and the trigger disabled before the load and restored after.
    auto disabled = target.requests_with("DISABLE CONSTRAINT");
    ASSERT_EQ(disabled.size(), 3u);
    EXPECT_FALSE(target.requests_with("ENABLE NOVALIDATE CONSTRAINT \"R2_ORDER_FK\"").empty());
    EXPECT_EQ(target.requests_with("ALTER TRIGGER").size(), 2u);
    // Identity columns restarted; sequences named as left alone (no source).
    EXPECT_EQ(target.requests_with("START WITH LIMIT VALUE").size(), 2u);
    EXPECT_TRUE(target.requests_with("ALTER SEQUENCE").empty());
    EXPECT_TRUE(warned("sequences of WKSP_URPREPROD keep their values"));
    const Check* fk = find_check(result.report, "REPORTING.R1_CUST_FK");
    ASSERT_NE(fk, nullptr);
    EXPECT_EQ(fk->status, CheckStatus::fail);
}

TEST_F(OracleImportTest, ImportParallelComesFromTheTargetsCpuCount) {
    target.on("DBMS_UTILITY.DB_VERSION", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"version", "19.0.0.1.0"},
                                           {"compatible", "19.0.0"},
                                           {"apex_version", "24.1.0"},
                                           {"cpu_count", "16"},
                                           {"max_datapump_parallel", "AUTO"}});
    });
    script_bucket(target, objects({dump_set_objects(kNewer)}));
    script_preflight(target, true);
    script_target(target);
    ASSERT_NO_THROW(run(import_request({{"max-parallel", "6"}})));
    auto imp = target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_EQ(imp[0].bind("parallel"), "6");
}

TEST_F(OracleImportTest, ImportRefusesAnApplicationOnAReloadAndOtherTableExistsActions) {
    auto kind = [&](Request r) {
        RunResult res;
        try {
            make_engine("oracle")->plan(r, res);
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::internal;
    };
    Request app_reload = import_request({{"app", "100"}});
    app_reload.table_exists = TableExistsAction::truncate;
    EXPECT_EQ(kind(app_reload), ErrorKind::usage);
    EXPECT_EQ(kind(import_request({{"copy-apex-users", "true"}})), ErrorKind::usage);
    EXPECT_EQ(kind(import_request({{"app", "100"}})), ErrorKind::internal);  // accepted: plans
    Request replace = import_request();
    replace.table_exists = TableExistsAction::replace;
    EXPECT_EQ(kind(replace), ErrorKind::usage);
    Request bad_dump = import_request();
    bad_dump.dump_path = "../../etc";
    EXPECT_EQ(kind(bad_dump), ErrorKind::usage);
}

TEST_F(OracleImportTest, DumpsListsEverySetWithItsState) {
    const std::string permanent = "permanent/ur-prod/schema/wksp_prod/20250101T000000/";
    script_bucket(target, objects({dump_set_objects(kOld), dump_set_objects(kUnfinished, false),
                                   dump_set_objects(permanent)}));
    ASSERT_NO_THROW(run(dumps_request()));
    const Check* old = find_check(result.report, kOld);
    ASSERT_NE(old, nullptr);
    EXPECT_EQ(old->status, CheckStatus::info);  // printed without -v
    EXPECT_NE(old->evidence.find("3 files, 3.0 MiB"), std::string::npos) << old->evidence;
    const Check* unfinished = find_check(result.report, kUnfinished);
    ASSERT_NE(unfinished, nullptr);
    EXPECT_EQ(unfinished->status, CheckStatus::warn);
    EXPECT_NE(find_check(result.report, permanent), nullptr);
    EXPECT_TRUE(target.requests_with("DELETE_OBJECT").empty());
}

TEST_F(OracleImportTest, PruneIsADryRunUnlessYesAndKeepsPermanentAndRecentSets) {
    const std::string recent = "temp/ur-prod/schema/wksp_prod/" + utc_timestamp() + "/";
    const std::string permanent = "permanent/ur-prod/schema/wksp_prod/20200101T000000/";
    const std::string old_other = "temp/ur-test/schema/hr/20200102T000000/";
    auto bucket = objects({dump_set_objects(kOld), dump_set_objects(recent), dump_set_objects(permanent),
                           dump_set_objects(old_other, false)});
    script_bucket(target, bucket);

    ASSERT_NO_THROW(run(dumps_request({{"prune", "true"}, {"older-than", "7d"}})));
    EXPECT_TRUE(target.requests_with("DELETE_OBJECT").empty());
    ASSERT_NE(find_check(result.report, kOld), nullptr);
    ASSERT_NE(find_check(result.report, old_other), nullptr);
    EXPECT_EQ(find_check(result.report, recent), nullptr);
    EXPECT_EQ(find_check(result.report, permanent), nullptr);

    RunResult deleting;
    Journal journal;
    ASSERT_NO_THROW(run_oracle(dumps_request({{"prune", "true"}, {"older-than", "7d"}, {"yes", "true"}}),
                               deleting, journal));
    std::vector<std::string> deleted;
    for (const auto& r : target.requests_with("DELETE_OBJECT")) deleted.push_back(r.bind("object_uri"));
    const std::string b = kBucket;
    // Oldest set first; in each, export.log first: a set pruned half-way is
    // never taken for a finished one.
    EXPECT_EQ(deleted, (std::vector<std::string>{b + old_other + "dump_01.dmp", b + old_other + "dump_02.dmp",
                                                 b + kOld + "export.log", b + kOld + "dump_01.dmp",
                                                 b + kOld + "dump_02.dmp"}));
    const Check* pruned = find_check(deleting.report, kOld);
    ASSERT_NE(pruned, nullptr);
    EXPECT_EQ(pruned->status, CheckStatus::info);
}

// A set without export.log younger than the longest Data Pump job (7 days)
// may be an export still writing: it is kept, and said so, even past
// --older-than.
TEST_F(OracleImportTest, PruneKeepsAnUnfinishedSetWhoseExportMayStillRun) {
    const std::time_t two_days_ago = std::time(nullptr) - 2 * 24 * 3600;
    std::tm tm{};
    gmtime_r(&two_days_ago, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    const std::string running = std::string("temp/ur-prod/schema/wksp_prod/") + stamp + "/";
    script_bucket(target, objects({dump_set_objects(kOld), dump_set_objects(running, false)}));
    RunResult deleting;
    Journal journal;
    ASSERT_NO_THROW(run_oracle(dumps_request({{"prune", "true"}, {"older-than", "1d"}, {"yes", "true"}}),
                               deleting, journal));
    for (const auto& r : target.requests_with("DELETE_OBJECT"))
        EXPECT_EQ(r.bind("object_uri").find(running), std::string::npos) << r.bind("object_uri");
    EXPECT_FALSE(target.requests_with("DELETE_OBJECT").empty()) << "the finished old set is pruned";
    const Check* kept = find_check(deleting.report, running);
    ASSERT_NE(kept, nullptr);
    EXPECT_EQ(kept->status, CheckStatus::warn);
    EXPECT_NE(kept->evidence.find("may still be running"), std::string::npos) << kept->evidence;
}

TEST_F(OracleImportTest, PrunePermanentNeedsAllowPermanent) {
    Request r = dumps_request({{"prune", "true"}, {"older-than", "30d"}});
    r.any_retention = false;
    r.retention = "permanent";
    RunResult res;
    try {
        make_engine("oracle")->plan(r, res);
        ADD_FAILURE() << "permanent/ was pruned without --allow-permanent";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
    }
    r.allow_permanent = true;
    const std::string permanent = "permanent/ur-prod/schema/wksp_prod/20200101T000000/";
    script_bucket(target, dump_set_objects(permanent));
    r.prune_yes = true;
    ASSERT_NO_THROW(run(r));
    EXPECT_EQ(target.requests_with("DELETE_OBJECT").size(), 3u);
    // --prune without --older-than is refused.
    EXPECT_THROW(make_engine("oracle")->plan(dumps_request({{"prune", "true"}}), res), Error);
}

TEST(OracleParallel, FromCpuCountCappedByDataPumpAndTheUser) {
    EXPECT_EQ(datapump_parallel("8", "50", 0, 0).degree, 8);
    EXPECT_EQ(datapump_parallel("8", "AUTO", 0, 0).degree, 8);
    EXPECT_EQ(datapump_parallel("32", "12", 0, 0).degree, 12);
    EXPECT_EQ(datapump_parallel("32", "12", 0, 6).degree, 6);
    EXPECT_EQ(datapump_parallel("", "", 0, 0).degree, 4);  // V$PARAMETER not readable
    EXPECT_EQ(datapump_parallel("", "", 0, 2).degree, 2);
    EXPECT_EQ(datapump_parallel("32", "12", 3, 2).degree, 3);  // --parallel fixes it
    EXPECT_NE(datapump_parallel("32", "12", 0, 6).reason.find("--max-parallel 6"), std::string::npos);
}

// Clone: the export's PARALLEL from the source's CPU_COUNT, the import's
// from the target's (each job runs on its own database).
TEST_F(OracleImportTest, CloneTakesEachJobsParallelFromItsOwnDatabase) {
    OrdsTestServer source;
    auto versions = [](const std::string& cpus) {
        return [cpus](const Received& r, int) {
            return plsql_reply(r.statement(), {{"version", "19.0.0.1.0"},
                                               {"compatible", "19.0.0"},
                                               {"apex_version", "24.1.0"},
                                               {"cpu_count", cpus},
                                               {"max_datapump_parallel", "10"}});
        };
    };
    source.on("DBMS_UTILITY.DB_VERSION", versions("24"));
    target.on("DBMS_UTILITY.DB_VERSION", versions("2"));
    script_source(source);
    script_target(target);
    Request r =
        runbook_request(Command::clone, source, target, {{"no-preflight", "true"}, {"retry-ms", "0"}});
    ASSERT_NO_THROW(run(r));
    auto exp = source.requests_with("DBMS_DATAPUMP.OPEN('EXPORT'");
    ASSERT_EQ(exp.size(), 1u);
    EXPECT_EQ(exp[0].bind("parallel"), "10");  // 24 CPUs, at most MAX_DATAPUMP_PARALLEL_PER_JOB 10
    auto imp = target.requests_with("DBMS_DATAPUMP.OPEN('IMPORT'");
    ASSERT_EQ(imp.size(), 1u);
    EXPECT_EQ(imp[0].bind("parallel"), "2");
    EXPECT_TRUE(std::any_of(result.summary.begin(), result.summary.end(), [](const std::string& line) {
        return line.find("export PARALLEL 10 (CPU_COUNT 24, capped by MAX_DATAPUMP_PARALLEL_PER_JOB 10)") !=
               std::string::npos;
    }));
}

TEST(OracleDumpSets, ObjectNamesParseWhateverPathPrecedesTheLayout) {
    auto a = parse_dump_object("temp/ur-prod/schema/wksp_prod/20260501T010000/dump_01.dmp");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->set.prefix(), "temp/ur-prod/schema/wksp_prod/20260501T010000/");
    EXPECT_EQ(a->file, "dump_01.dmp");
    auto b = parse_dump_object("dumps/x/temp/ur-prod/schema/wksp_prod/20260501T010000/export.log");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->set.retention, "temp");
    EXPECT_EQ(b->file, "export.log");
    EXPECT_FALSE(parse_dump_object("temp/ur-prod/apex/100/20260501T010000/f100.sql"));
    EXPECT_FALSE(parse_dump_object("temp/ur-prod/schema/wksp_prod/latest/dump_01.dmp"));
    EXPECT_EQ(dumpset::age_hours("20260501T000000", "20260508T060000"), 7 * 24 + 6);
}

}  // namespace
}  // namespace dbclone::oracle::test
