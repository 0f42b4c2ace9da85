// The Oracle engine's checks of names, option values, dump-set paths and
// Data Pump log lines, edge case by edge case: they document what is accepted
// and what is read, so that the way they scan can change without the
// behaviour changing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "engine/oracle/datapump_log.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/oracle_options.h"
#include "engine/oracle/steps/dump_sets.h"

namespace dbclone::oracle {
namespace {

bool name_ok(const std::string& s) {
    try {
        validate_name(s, "name");
        return true;
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        return false;
    }
}

TEST(OracleTextChecks, OracleNames) {
    EXPECT_TRUE(name_ok("A"));
    EXPECT_TRUE(name_ok("wksp_Prod$1#"));
    EXPECT_TRUE(name_ok(std::string(128, 'a')));
    EXPECT_FALSE(name_ok(std::string(129, 'a')));
    EXPECT_FALSE(name_ok(""));
    EXPECT_FALSE(name_ok("1abc"));
    EXPECT_FALSE(name_ok("_abc"));
    EXPECT_FALSE(name_ok("ab-c"));
    EXPECT_FALSE(name_ok("ab c"));
    EXPECT_FALSE(name_ok("abc\n"));
    EXPECT_FALSE(name_ok(std::string("ab\0c", 4)));
    EXPECT_FALSE(name_ok("\xc3\xa9t\xc3\xa9"));
    EXPECT_EQ(normalize_name("wksp_Prod", "name"), "WKSP_PROD");
}

TEST(OracleTextChecks, AdbNames) {
    EXPECT_EQ(validate_adb_name("UR-Prod_1"), "ur-prod_1");
    EXPECT_EQ(validate_adb_name("0"), "0");
    EXPECT_EQ(validate_adb_name(std::string(63, 'a')), std::string(63, 'a'));
    for (const std::string& bad :
         std::vector<std::string>{"", "-ur", "_ur", "ur.prod", "ur prod", "ur$", std::string(64, 'a')})
        EXPECT_THROW(validate_adb_name(bad), Error) << bad;
}

// A request parse_options accepts; each test changes one thing.
Request import_request() {
    Request r;
    r.command = Command::import;
    r.target = "https://ur-preprod.adb.uk-london-1.oraclecloudapps.com/ords/";
    r.source_schema = "WKSP_PROD";
    r.any_retention = true;
    r.engine_options = {{"bucket-uri", "https://objectstorage.example.com/n/ns/b/bkt/o/"}};
    return r;
}

bool accepted(const Request& r) {
    try {
        parse_options(r);
        return true;
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage) << e.what();
        return false;
    }
}

TEST(OracleTextChecks, NumbersAreOneToTwelveDigits) {
    auto with = [](const std::string& v) {
        Request r = import_request();
        r.engine_options["parallel"] = v;
        return r;
    };
    ASSERT_TRUE(accepted(import_request()));
    EXPECT_EQ(parse_options(with("8")).parallel, 8);
    EXPECT_EQ(parse_options(with("064")).parallel, 64);
    EXPECT_EQ(parse_options(with("000000000001")).parallel, 1);
    for (const std::string& bad :
         std::vector<std::string>{"0", "65", "+8", "-1", " 8", "8 ", "8x", "0x8", "1e1", "0000000000001"})
        EXPECT_FALSE(accepted(with(bad))) << bad;
    Request big = import_request();
    big.engine_options["job-timeout"] = "999999999999";
    EXPECT_FALSE(accepted(big));
}

TEST(OracleTextChecks, RetentionIsAShortLowerCaseWord) {
    auto with = [](const std::string& v) {
        Request r = import_request();
        r.retention = v;
        return r;
    };
    for (const std::string& good :
         std::vector<std::string>{"temp", "permanent", "30d", "0", "a-b_c", std::string(31, 'x')})
        EXPECT_TRUE(accepted(with(good))) << good;
    for (const std::string& bad :
         std::vector<std::string>{"", "Temp", "-x", "_x", "a/b", "a b", "a.b", std::string(32, 'x')})
        EXPECT_FALSE(accepted(with(bad))) << bad;
}

TEST(OracleTextChecks, ApexAdminEmailHasOneAt) {
    auto with = [](const std::string& v) {
        Request r = import_request();
        r.engine_options["apex-admin-email"] = v;
        return r;
    };
    for (const std::string& good : std::vector<std::string>{"a@b", "first.last+x@example.com", "a\x01@b"})
        EXPECT_TRUE(accepted(with(good))) << good;
    for (const std::string bad : {"a@b@", "ab", "@b", "a@", "a@b@c", "a b@c", "a@b\tc", "a@b\n", "a\v@b",
                                  "a@\fb", "a\r@b", "a'@b", "a@\"b"})
        EXPECT_FALSE(accepted(with(bad))) << bad;
}

TEST(OracleTextChecks, DumpIsATimestampOrASetPath) {
    auto with = [](const std::string& v) {
        Request r = import_request();
        r.dump_path = v;
        return r;
    };
    EXPECT_EQ(parse_options(with("20260501T010000")).dump, "20260501T010000");
    EXPECT_EQ(parse_options(with("20260501T010000/")).dump, "20260501T010000");
    EXPECT_EQ(parse_options(with("temp/ur-prod/schema/wksp_prod$#1/20260501T010000/")).dump,
              "temp/ur-prod/schema/wksp_prod$#1/20260501T010000");
    EXPECT_TRUE(accepted(with("0/a_-/schema/_/20260501T010000")));
    for (const std::string bad :
         {"2026050T010000", "20260501T01000", "20260501t010000", "20260501T010000//", "/20260501T010000",
          "20260501T0100000", "temp/ur-prod/schema/WKSP/20260501T010000",
          "temp/ur-prod/apex/w/20260501T010000", "-t/ur-prod/schema/w/20260501T010000",
          "temp/_ur/schema/w/20260501T010000", "temp/ur-prod/schema//20260501T010000",
          "temp/ur-prod/schema/w/20260501T010000/x", "x/temp/ur-prod/schema/w/20260501T010000",
          "temp/ur-prod/schema/w-x/20260501T010000", "../../etc"})
        EXPECT_FALSE(accepted(with(bad))) << bad;
}

TEST(OracleTextChecks, OlderThanIsDaysOrHours) {
    auto with = [](const std::string& v) {
        Request r;
        r.command = Command::dumps;
        r.source = "https://ur-prod.adb.uk-london-1.oraclecloudapps.com/ords/";
        r.any_retention = true;
        r.engine_options = {{"bucket-uri", "https://objectstorage.example.com/n/ns/b/bkt/o/"}};
        r.prune = true;  // dumps' own options, shared by every engine (dumpset/housekeeping.h)
        r.older_than = v;
        return r;
    };
    EXPECT_EQ(parse_options(with("7d")).older_than_hours, 168);
    EXPECT_EQ(parse_options(with("36h")).older_than_hours, 36);
    EXPECT_EQ(parse_options(with("007h")).older_than_hours, 7);
    EXPECT_EQ(parse_options(with("999999h")).older_than_hours, 999999);
    for (const std::string& bad :
         std::vector<std::string>{"7", "d", "7w", "7D", "7dd", "1000000h", "-7d", " 7d", "7d "})
        EXPECT_FALSE(accepted(with(bad))) << bad;
    EXPECT_FALSE(accepted(with("0d")));  // an age of zero prunes nothing: --prune needs one
}

TEST(OracleTextChecks, DatapumpRowLines) {
    auto log = parse_datapump_log(
        ". . exported \"S\".\"A\"   1 KB   5 rows\n"
        "\t . . imported \"S\".\"B\":\"P1\":\"SP1\"\t2 KB 7 rows in 1 seconds\n"
        ". . imported \"S\".\"B\":\"P2\" 3 rows\r\n"
        ". . exported \"S\".\"C\"  x12 rows 4 rows\n"          // 12 follows a letter: not a count
        ". . exported \"S\".\"D\"  12 rowsx 9 rows, 1 rows\n"  // "rowsx" is not "rows"
        ". . exported \"S\".\"E\"  0 rows\n"
        ". . exported \"S\".\"F\":\"P\":\"Q\":\"R\"  1 rows\n"  // three partition names: not a row line
        ". . exported \"S\".\"G\"5 rows\n"                      // no blank after the name
        ". . exported \"\".\"H\"  5 rows\n"                     // empty owner
        ".. exported \"S\".\"I\"  5 rows\n"
        ". . copied \"S\".\"J\"  5 rows\n"
        ". . exported \"S\".\"K\"  5 rows_\n"
        ". . exported \"S\".\"L\"  5 rows.\n"
        "x . . exported \"S\".\"M\"  5 rows\n"
        ". . exported \"S\".\"N\" 6 rows\r7 rows\n"
        ". . exported \"S\".\"O\" x\r5 rows\n"  // the count is looked for up to a carriage return
        ". . exported \"S\".\"P\"\r5 rows\n");  // which is a blank after the name
    EXPECT_EQ(log.rows.at("A"), 5);
    EXPECT_EQ(log.rows.at("B"), 10);
    EXPECT_EQ(log.rows.at("C"), 4);
    EXPECT_EQ(log.rows.at("D"), 9);
    EXPECT_EQ(log.rows.at("E"), 0);
    EXPECT_EQ(log.rows.at("L"), 5);
    EXPECT_EQ(log.rows.at("N"), 6);
    EXPECT_EQ(log.rows.at("P"), 5);
    for (const char* none : {"F", "G", "H", "I", "J", "K", "M", "O"})
        EXPECT_EQ(log.rows.count(none), 0u) << none;
}

TEST(OracleTextChecks, DatapumpErrorLinesAndVerdict) {
    auto log = parse_datapump_log(
        "ORA-12345: a\n"
        "xKUP-11007: b\n"
        "  PLS-00201 c\n"
        "ORA-1234: not five digits\n"
        "ora-12345: lower case\n"
        "ORA -12345 blank\n"
        "ORA-123456 six digits\n"
        "PLS-ORA-00001 second\n"
        "\n"
        "Job \"A\".\"J\" completed with 12 error(s) at now\n"
        "   \n");
    ASSERT_EQ(log.errors.size(), 5u);
    EXPECT_EQ(log.errors[0], "ORA-12345: a");
    EXPECT_EQ(log.errors[1], "xKUP-11007: b");
    EXPECT_EQ(log.errors[2], "  PLS-00201 c");
    EXPECT_EQ(log.errors[3], "ORA-123456 six digits");
    EXPECT_EQ(log.errors[4], "PLS-ORA-00001 second");
    EXPECT_TRUE(log.with_errors);
    EXPECT_FALSE(log.success);
    EXPECT_EQ(log.last_line, "Job \"A\".\"J\" completed with 12 error(s) at now");
    for (const char* last : {"completed with error(s)", "completed with 1errors", "completed  with 1 error",
                             "Completed with 1 error"})
        EXPECT_FALSE(parse_datapump_log(last).with_errors) << last;
    EXPECT_TRUE(parse_datapump_log("x completed with x completed with 0 errors").with_errors);
    EXPECT_TRUE(parse_datapump_log("Job successfully completed at x").success);
}

TEST(OracleTextChecks, DumpObjectPaths) {
    auto o = parse_dump_object("a/b/temp/ur-prod/schema/wksp_prod$#/20260501T010000/dump_01.dmp");
    ASSERT_TRUE(o);
    EXPECT_EQ(o->set.retention, "temp");
    EXPECT_EQ(o->set.adb, "ur-prod");
    EXPECT_EQ(o->set.schema, "wksp_prod$#");
    EXPECT_EQ(o->set.timestamp, "20260501T010000");
    EXPECT_EQ(o->file, "dump_01.dmp");
    auto leading = parse_dump_object("/temp/ur-prod/schema/w/20260501T010000/f");
    ASSERT_TRUE(leading);
    EXPECT_EQ(leading->set.retention, "temp");
    // The retention must be a whole path segment.
    auto glued = parse_dump_object("x-Temp/ur/schema/w/20260501T010000/f");
    EXPECT_FALSE(glued);
    for (const std::string bad :
         {"temp/ur-prod/schema/w/20260501T010000/", "temp/ur-prod/schema/w/20260501T010000",
          "temp/ur-prod/schema/W/20260501T010000/f", "temp/ur-prod/schema/w/20260501T01000/f",
          "temp/-ur/schema/w/20260501T010000/f", "Temp/ur/schema/w/20260501T010000/f",
          "temp/ur/schema/w/20260501T010000/f/g", "temp/ur/schemas/w/20260501T010000/f"})
        EXPECT_FALSE(parse_dump_object(bad)) << bad;
}

}  // namespace
}  // namespace dbclone::oracle
