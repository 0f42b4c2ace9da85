// Issue 12's small ones, each run against real servers: bad input is named
// in one line with a hint that can be followed and its exit code, and
// nothing is created or leaked on the way.
#include <gtest/gtest.h>

#include <fstream>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitNotFound = 5;
constexpr int kExitIo = 8;

std::string schemas_like(const std::string& db, const std::string& pattern) {
    return Harness::get().target().query_value(
        db, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" + pattern + "'");
}

TEST(InputChecks, TargetSchemaNameOver63BytesIsRefusedBeforeAnythingIsCreated) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("long_name");
    const std::string name(64, 'n');
    auto r = run_dbclone(
        {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", std::string(kDemo) + ":" + name});
    EXPECT_EQ(r.exit_code, kExitUsage) << describe(r);
    EXPECT_NE(r.err.find("64 bytes long"), std::string::npos) << describe(r);
    EXPECT_EQ(schemas_like(db, "nnnn%"), "0");
    EXPECT_EQ(schemas_like(db, "dbclone\\_%"), "0");
}

TEST(InputChecks, NonExistentDatabaseIsNamedNotAnUnreachableServer) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo("no_such_database_x"), "--schema",
                          std::string(kDemo) + ":x"});
    EXPECT_EQ(r.exit_code, kExitNotFound) << describe(r);
    EXPECT_NE(r.err.find("no such database"), std::string::npos) << describe(r);
    EXPECT_EQ(r.err.find("that the server is running"), std::string::npos) << describe(r);
}

TEST(InputChecks, WorkDirThatCannotBeCreatedIsNamed) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto file = h.new_dir("work-dir-file") / "a-file";
    std::ofstream(file) << "x";
    auto store = h.new_dir("work-dir-store");
    auto bad = (file / "state").string();
    auto r = run_dbclone(
        {"--work-dir", bad, "export", h.source_conninfo(), "--schema", kDemo, "--store", file_url(store)});
    EXPECT_EQ(r.exit_code, kExitIo) << describe(r);
    EXPECT_NE(r.err.find("cannot create the work directory " + bad), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("HINT: pass --work-dir"), std::string::npos) << describe(r);
    EXPECT_TRUE(find_files(store, "").empty());
}

// "p@ss w0rd" in a URI: libpq reads password "p" and host "ss w0rd@...";
// no piece of the password may appear anywhere.
TEST(InputChecks, UnencodedAtInAUriPasswordIsRefusedWithoutEchoingIt) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("uri_at");
    const std::string uri = "postgresql://dbclone_app:Pq7@ss-w0rd_zz@/" + db +
                            "?host=" + h.target().socket_dir().string() +
                            "&port=" + std::to_string(h.target().port());
    auto r = run_dbclone({"-v", "clone", h.source_conninfo(), uri, "--schema", std::string(kDemo) + ":x"});
    EXPECT_EQ(r.exit_code, kExitUsage) << describe(r);
    EXPECT_NE(r.err.find("%40"), std::string::npos) << describe(r);
    for (const auto* piece : {"Pq7", "ss-w0rd_zz"}) {
        EXPECT_EQ(r.err.find(piece), std::string::npos) << piece << describe(r);
        EXPECT_EQ(r.out.find(piece), std::string::npos) << piece << describe(r);
    }
    for (const auto& f : find_files(h.work_dir() / "state", ""))
        EXPECT_EQ(read_file(f).find("ss-w0rd_zz"), std::string::npos) << f;
}

TEST(InputChecks, ImportOfAMissingDumpDirectoryIsNotFound) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto store = h.new_dir("missing-dump-store");
    auto db = h.new_target_db("missing_dump");
    auto r = run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store), "--schema", kDemo,
                          "--dump", "temp/src/schema/shop/20990101T000000Z"});
    EXPECT_EQ(r.exit_code, kExitNotFound) << describe(r);
    EXPECT_NE(r.err.find("there is no dump set at temp/src/schema/shop/20990101T000000Z"), std::string::npos)
        << describe(r);
    EXPECT_EQ(r.err.find("did not finish"), std::string::npos) << describe(r);
}

// A schema an administrator created (owned by the loading role, empty) is
// loaded where it is, by the managed-service role; killed half way, the
// run resumes instead of calling its own objects "not empty".
TEST(InputChecks, CloneIntoAPrecreatedEmptySchemaResumesAfterAKill) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("precreated");
    Harness::run_sql_as_app(h.target(), db, "CREATE SCHEMA shop_pre");
    std::vector<std::string> args{"clone", h.source_conninfo(), h.target_conninfo(db), "--schema",
                                  std::string(kDemo) + ":shop_pre"};
    auto killed = run_dbclone(args, {{"DBCLONE_FAULT", "table-work:after-done@2"}});
    ASSERT_EQ(killed.exit_code, 128 + 9) << describe(killed);
    args.insert(args.begin(), "--resume");
    auto resumed = run_dbclone(args);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_pre");
}

// Issue 12: a schema another role owns failed after the tables were
// created. Now refused first, naming the owner and the fix; nothing created.
TEST(InputChecks, PrecreatedEmptySchemaOfAnotherOwnerIsRefusedBeforeAnythingIsCreated) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("precreated_other");
    h.target().run_sql(db, "CREATE SCHEMA shop_adm; GRANT ALL ON SCHEMA shop_adm TO dbclone_app");
    auto r = run_dbclone(
        {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", std::string(kDemo) + ":shop_adm"});
    EXPECT_EQ(r.exit_code, 13) << describe(r);
    EXPECT_NE(r.err.find("ALTER SCHEMA \"shop_adm\" OWNER TO \"dbclone_app\""), std::string::npos)
        << describe(r);
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                                     "n.oid = c.relnamespace WHERE n.nspname = 'shop_adm'"),
              "0");
    EXPECT_EQ(schemas_like(db, "dbclone\\_%"), "0");
}

}  // namespace
}  // namespace dbclone::test
