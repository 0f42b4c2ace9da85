// A resumed clone of a table cut into block ranges (issue 12, point 7): the
// parts an earlier attempt committed are kept when the source provably did
// not change (data/kept_parts.h), and copied again when it did; a part that
// committed on the target without its journal record never arrives twice.
// Tables are cut into parts of a few kilobytes by the test-only
// DBCLONE_TEST_MIN_PART_BYTES; one job, so a kill lands between two parts
// exactly. Every copy is compared with the source independently of dbclone.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kKilled = 128 + 9;
const EnvChanges kSmallParts{{"DBCLONE_TEST_MIN_PART_BYTES", "16384"}};

EnvChanges with(EnvChanges env, const std::string& name, const std::string& value) {
    env[name] = value;
    return env;
}

// One table of about 400 KiB (about six parts of 64 KiB at -j 1) and a small one.
std::string make_parts_schema(const std::string& name) {
    Harness::run_sql_as_app(Harness::get().source(), kSourceDb,
                            "CREATE SCHEMA " + name + "; CREATE TABLE " + name +
                                ".big (id int PRIMARY KEY, pad text); INSERT INTO " + name +
                                ".big SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 4000) g; "
                                "CREATE TABLE " +
                                name + ".small (id int PRIMARY KEY); INSERT INTO " + name +
                                ".small SELECT generate_series(1, 10);");
    return name;
}

struct PartsRun {
    std::string schema, db;
    std::vector<std::string> args;
};

PartsRun start(const std::string& name) {
    auto& h = Harness::get();
    PartsRun r;
    r.schema = make_parts_schema(name);
    r.db = h.new_target_db(name);
    r.args = {"-j", "1", "clone", h.source_conninfo(), h.target_conninfo(r.db), "--schema", r.schema};
    return r;
}

DbcloneResult resume(const PartsRun& r) {
    auto args = r.args;
    args.insert(args.begin(), "--resume");
    return run_dbclone(args, kSmallParts);
}

TEST(CloneParts, ResumeKeepsThePartsOfAnUnchangedSource) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto r = start("cp_keep");
    auto killed = run_dbclone(r.args, with(kSmallParts, "DBCLONE_FAULT", "table-work:part-done@2"));
    ASSERT_EQ(killed.exit_code, kKilled) << "the table should be cut into parts" << describe(killed);
    auto resumed = resume(r);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_NE(resumed.out.find("table \"big\": kept 2 of "), std::string::npos) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, r.schema, h.target(), r.db, r.schema);
}

// A row of an already copied part changes between the attempts: that part
// no longer holds what was copied, the table is copied again, in the new
// snapshot (the copy equals the source as it is now).
TEST(CloneParts, ResumeCopiesATableAgainWhenAKeptPartChanged) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto r = start("cp_changed");
    auto killed = run_dbclone(r.args, with(kSmallParts, "DBCLONE_FAULT", "table-work:part-done@2"));
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    // id 1 is in the first block, copied by the first part.
    Harness::run_sql_as_app(h.source(), kSourceDb,
                            "UPDATE " + r.schema + ".big SET pad = 'changed' WHERE id = 1");
    auto resumed = resume(r);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_EQ(resumed.out.find("kept"), std::string::npos) << describe(resumed);
    EXPECT_NE(resumed.err.find("copying all"), std::string::npos) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, r.schema, h.target(), r.db, r.schema);
}

// A row deleted from a copied part: no new row version, but one row fewer.
TEST(CloneParts, ResumeCopiesATableAgainWhenARowOfAKeptPartWasDeleted) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto r = start("cp_deleted");
    auto killed = run_dbclone(r.args, with(kSmallParts, "DBCLONE_FAULT", "table-work:part-done@2"));
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    Harness::run_sql_as_app(h.source(), kSourceDb, "DELETE FROM " + r.schema + ".big WHERE id = 2");
    auto resumed = resume(r);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_EQ(resumed.out.find("kept"), std::string::npos) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, r.schema, h.target(), r.db, r.schema);
}

// Killed after a part's COMMIT and before its journal record: the resumed
// run finds rows its journal does not know, empties the table and copies
// every part again; no row is there twice.
TEST(CloneParts, PartCommittedButNotJournaledIsNotCopiedTwice) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto r = start("cp_unjournaled");
    auto killed = run_dbclone(r.args, with(kSmallParts, "DBCLONE_FAULT", "clone:part-committed@3"));
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    auto resumed = resume(r);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_NE(resumed.err.find("committed without being journaled"), std::string::npos) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, r.schema, h.target(), r.db, r.schema);
}

// --allow-mixed-snapshot keeps finished tables of the earlier snapshot, but a
// table of parts from two snapshots would not be a copy of that table at
// all: a changed part still makes the table copy again.
TEST(CloneParts, MixedSnapshotStillCopiesAChangedTableInParts) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto r = start("cp_mixed");
    r.args.push_back("--allow-mixed-snapshot");
    auto killed = run_dbclone(r.args, with(kSmallParts, "DBCLONE_FAULT", "table-work:part-done@2"));
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    Harness::run_sql_as_app(h.source(), kSourceDb,
                            "UPDATE " + r.schema + ".big SET pad = 'moved' WHERE id IN (1, 3999)");
    auto resumed = resume(r);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, r.schema, h.target(), r.db, r.schema);
}

}  // namespace
}  // namespace dbclone::test
