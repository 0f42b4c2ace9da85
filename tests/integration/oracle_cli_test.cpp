// The oracle engine through the real binary: `dbclone plan clone` with
// https:// ORDS URLs chooses the oracle engine by itself, prints the
// runbook's steps with their PL/SQL, contacts nothing (the hosts do not
// exist), and never prints a secret given in the environment.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

const std::vector<std::string> kRunbookExample{
    "https://ur-prod.adb.uk-london-1.oraclecloudapps.invalid/ords/admin",
    "https://ur-preprod.adb.uk-london-1.oraclecloudapps.invalid/ords/admin",
    "--schema",
    "WKSP_PROD:WKSP_URPREPROD",
    "--workspace",
    "UR_PREPROD",
    "--app",
    "100",
    "--bucket-uri",
    "https://objectstorage.uk-london-1.oraclecloud.com/n/ns/b/adb-data-dump/o/"};

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

TEST(OracleCli, PlanCloneShowsTheRunbookStepsWithoutConnecting) {
    const std::string secret = "Sup3r-Secret-Token-42";
    auto r =
        run_dbclone(with({"plan", "clone"}, kRunbookExample), {{"DBCLONE_OCI_AUTH_TOKEN", secret},
                                                               {"DBCLONE_ORACLE_SOURCE_PASSWORD", secret},
                                                               {"DBCLONE_ORACLE_TARGET_PASSWORD", secret},
                                                               {"DBCLONE_OCI_USER", "oci-user"}});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    for (const char* expected : {"[export-schema]", "DBMS_DATAPUMP.OPEN", "[import-schema]", "REMAP_SCHEMA",
                                 "[workspace]", "[apex-import]", "[verify]"})
        EXPECT_NE(r.out.find(expected), std::string::npos) << expected << describe(r);
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos) << "a secret was printed";
}

TEST(OracleCli, RefreshPlanDisablesForeignKeysInsteadOfDataOptions2) {
    auto r = run_dbclone(with({"plan", "refresh"}, kRunbookExample));
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.out.find("TABLE_EXISTS_ACTION"), std::string::npos) << describe(r);
    EXPECT_NE(r.out.find("DISABLE CONSTRAINT"), std::string::npos) << describe(r);
}

TEST(OracleCli, HostileSchemaNameIsAUsageError) {
    auto args = kRunbookExample;
    args[3] = "WKSP_PROD:X\"; DROP USER ADMIN CASCADE; --";
    auto r = run_dbclone(with({"plan", "clone"}, args));
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_EQ(r.out.find("DROP USER"), std::string::npos) << describe(r);
}

TEST(OracleCli, PlanExportNeedsOnlyTheBucketUri) {
    auto r =
        run_dbclone({"plan", "export", "https://ur-prod.adb.uk-london-1.oraclecloudapps.invalid/ords/admin",
                     "--schema", "WKSP_PROD", "--bucket-uri",
                     "https://objectstorage.uk-london-1.oraclecloud.com/n/ns/b/adb-data-dump/o/"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.out.find("[export-schema]"), std::string::npos) << describe(r);
    // Without either store the usage error names --store.
    auto none = run_dbclone({"plan", "export", "postgresql://localhost/x", "--schema", "public"});
    EXPECT_EQ(none.exit_code, 2) << describe(none);
    EXPECT_NE(none.err.find("--store"), std::string::npos) << describe(none);
}

TEST(OracleCli, PlanDoctorShowsTheReadOnlyPreflight) {
    auto r = run_dbclone(with({"plan", "doctor"}, kRunbookExample));
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.out.find("[doctor]"), std::string::npos) << describe(r);
    EXPECT_NE(r.out.find("DBMS_UTILITY.DB_VERSION"), std::string::npos) << describe(r);
    EXPECT_EQ(r.out.find("DBMS_DATAPUMP.OPEN"), std::string::npos) << describe(r);
    auto clone = run_dbclone(with({"plan", "clone"}, kRunbookExample));
    EXPECT_NE(clone.out.find("[preflight]"), std::string::npos) << describe(clone);
    auto skipped = run_dbclone(with({"plan", "clone", "--no-preflight"}, kRunbookExample));
    EXPECT_EQ(skipped.out.find("[preflight]"), std::string::npos) << describe(skipped);
}

}  // namespace
}  // namespace dbclone::test
