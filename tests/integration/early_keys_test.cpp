// A clone adds each table's keys and indexes, and the foreign keys between
// tables of the schema, while other tables still copy (issue 13): the
// journal, which records every entry as it is done, shows them done before
// the copy-data step is, and the result is the source's, foreign keys
// validated. A foreign key to a table outside the schema waits for post-data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr const char* kSchema = "early_keys";

void load_source_schema() {
    auto& h = Harness::get();
    Harness::run_sql_as_app(h.source(), kSourceDb, R"SQL(
DROP SCHEMA IF EXISTS early_keys CASCADE;
DROP SCHEMA IF EXISTS early_keys_outside CASCADE;
CREATE SCHEMA early_keys_outside;
CREATE TABLE early_keys_outside.region (id int PRIMARY KEY);
INSERT INTO early_keys_outside.region VALUES (1), (2);
CREATE SCHEMA early_keys;
CREATE TABLE early_keys.parent (id int PRIMARY KEY, code text UNIQUE,
                                region int REFERENCES early_keys_outside.region);
CREATE TABLE early_keys.child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES early_keys.parent,
                               parent_code text REFERENCES early_keys.parent (code) DEFERRABLE,
                               up int REFERENCES early_keys.child);
CREATE TABLE early_keys.other (id int PRIMARY KEY, note text);
INSERT INTO early_keys.parent SELECT g, 'p' || g, 1 + g % 2 FROM generate_series(1, 500) g;
INSERT INTO early_keys.child SELECT g, 1 + g % 500, 'p' || (1 + g % 500), NULLIF(g - 1, 0)
  FROM generate_series(1, 3000) g;
INSERT INTO early_keys.other SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g;
)SQL");
}

// A fresh target database holding the table outside the schema that the
// copy's foreign key references.
std::string new_target_db_with_outside_table(const std::string& name) {
    auto& h = Harness::get();
    auto db = h.new_target_db(name);
    Harness::run_sql_as_app(h.target(), db,
                            "CREATE SCHEMA early_keys_outside; "
                            "CREATE TABLE early_keys_outside.region (id int PRIMARY KEY); "
                            "INSERT INTO early_keys_outside.region VALUES (1), (2);");
    return db;
}

// "validated/all" foreign keys of `schema` in the target database `db`.
std::string validated_foreign_keys(const std::string& db, const std::string& schema) {
    return Harness::get().target().query_value(
        db,
        "SELECT count(*) FILTER (WHERE convalidated) || '/' || count(*) FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = " +
            pg::quote_literal(schema) + "::regnamespace");
}

// Line numbers of the journal's "done" records, by key.
std::map<std::string, std::size_t> done_lines(const std::filesystem::path& dir) {
    std::map<std::string, std::size_t> out;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (f.path().extension() != ".journal") continue;
        std::ifstream in(f.path());
        std::string line;
        for (std::size_t n = 0; std::getline(in, line); ++n) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            if (j.is_object() && j.contains("done")) out.emplace(j["done"].get<std::string>(), n);
        }
    }
    return out;
}

TEST(EarlyKeys, ForeignKeysBetweenCopiedTablesAreAddedDuringTheCopy) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    load_source_schema();
    auto& h = Harness::get();
    auto db = new_target_db_with_outside_table("early_keys");
    auto work = h.new_dir("early_keys_journal");
    // Killed after everything, before the journal is discarded: it stays to be read.
    auto r = run_dbclone({"--jobs", "2", "--work-dir", work.string(), "clone", h.source_conninfo(),
                          h.target_conninfo(db), "--schema", "early_keys:early_keys_copy"},
                         {{"DBCLONE_FAULT", "run:before-discard"}});
    ASSERT_NE(r.exit_code, 0) << "the fault point should have stopped the run" << describe(r);
    auto done = done_lines(work);
    ASSERT_TRUE(done.count("step:copy-data")) << describe(r);
    ASSERT_TRUE(done.count("step:verify")) << "the run should have verified before the kill" << describe(r);
    for (const char* fk :
         {"post:FK CONSTRAINT child.child_parent_id_fkey", "post:FK CONSTRAINT child.child_parent_code_fkey",
          "post:FK CONSTRAINT child.child_up_fkey"}) {
        ASSERT_TRUE(done.count(fk)) << fk << describe(r);
        EXPECT_LT(done[fk], done["step:copy-data"]) << fk << " should be added while the tables copy";
    }
    const std::string outside = "post:FK CONSTRAINT parent.parent_region_fkey";
    ASSERT_TRUE(done.count(outside)) << describe(r);
    EXPECT_GT(done[outside], done["step:copy-data"])
        << "a key to a table outside the schema waits for post-data";

    expect_same_schema(h.source(), kSourceDb, kSchema, h.target(), db, "early_keys_copy");
    EXPECT_EQ(validated_foreign_keys(db, "early_keys_copy"), "4/4");
    EXPECT_THROW(h.target().run_sql(db, "INSERT INTO early_keys_copy.child VALUES (9999, 9999, NULL, NULL)"),
                 std::exception)
        << "the foreign key is enforced";
}

// A primary or unique key is built as its unique index first (verification
// reads the table meanwhile), then attached as the constraint, in one
// transaction: killed in between, the run leaves no index without its key,
// and the resumed run builds the key as the source has it. The fault point
// lies on that path only, so the kill also shows the path is taken.
TEST(EarlyKeys, AKeyBuiltIndexFirstIsWholeOrAbsentAfterAKill) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    load_source_schema();
    auto& h = Harness::get();
    auto db = new_target_db_with_outside_table("early_keys_split");
    auto work = h.new_dir("early_keys_split_journal");
    const std::vector<std::string> args = {"--jobs",
                                           "2",
                                           "--work-dir",
                                           work.string(),
                                           "clone",
                                           h.source_conninfo(),
                                           h.target_conninfo(db),
                                           "--schema",
                                           "early_keys:early_keys_copy"};
    auto killed = run_dbclone(args, {{"DBCLONE_FAULT", "post-data:key-index-built"}});
    ASSERT_NE(killed.exit_code, 0) << "a key should have been built index first" << describe(killed);
    expect_no_complete_schema(h.target(), db, "early_keys_copy");
    EXPECT_EQ(
        h.target().query_value(db,
                               "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "WHERE n.nspname LIKE 'dbclone_incomplete_%' AND i.indisunique "
                               "AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = "
                               "i.indexrelid)"),
        "0")
        << "no unique index may stay without its key";

    auto resumed_args = args;
    resumed_args.insert(resumed_args.begin(), "--resume");
    auto resumed = run_dbclone(resumed_args);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, kSchema, h.target(), db, "early_keys_copy");
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' "
                                     "ORDER BY conname) FROM pg_constraint WHERE contype IN ('p', 'u') "
                                     "AND connamespace = 'early_keys_copy'::regnamespace"),
              "child_pkey PRIMARY KEY (id); other_pkey PRIMARY KEY (id); parent_code_key UNIQUE (code); "
              "parent_pkey PRIMARY KEY (id)");
}

// A table's foreign keys to a table already keyed are added as soon as its
// rows are in, before its own keys and indexes: their validating scans run
// beside the table's read-back instead of after its key builds (issue 13).
// One job and a parent larger than the child: the parent loads and is keyed
// first, so the child's key to it is early; the child's key to itself must
// wait for the child's own primary key.
void load_parent_first_schema() {
    auto& h = Harness::get();
    Harness::run_sql_as_app(h.source(), kSourceDb, R"SQL(
DROP SCHEMA IF EXISTS early_fks CASCADE;
CREATE SCHEMA early_fks;
CREATE TABLE early_fks.parent (id int PRIMARY KEY, pad text NOT NULL);
CREATE TABLE early_fks.child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES early_fks.parent,
                              up int REFERENCES early_fks.child);
CREATE INDEX child_parent ON early_fks.child (parent_id);
INSERT INTO early_fks.parent SELECT g, repeat('p', 400) FROM generate_series(1, 3000) g;
INSERT INTO early_fks.child SELECT g, 1 + g % 3000, NULLIF(g - 1, 0) FROM generate_series(1, 500) g;
)SQL");
}

// A clone with one job (tables load one after the other, largest first).
std::vector<std::string> one_job_clone_args(const std::filesystem::path& work, const std::string& db,
                                            const std::string& schemas) {
    auto& h = Harness::get();
    return {
        "--jobs",   "1",    "--work-dir", work.string(), "clone", h.source_conninfo(), h.target_conninfo(db),
        "--schema", schemas};
}

TEST(EarlyKeys, ATablesForeignKeyToAKeyedTableComesBeforeItsOwnKeys) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    load_parent_first_schema();
    auto& h = Harness::get();
    auto db = h.new_target_db("early_fks");
    auto work = h.new_dir("early_fks_journal");
    auto r = run_dbclone(one_job_clone_args(work, db, "early_fks:early_fks_copy"),
                         {{"DBCLONE_FAULT", "run:before-discard"}});
    ASSERT_NE(r.exit_code, 0) << "the fault point should have stopped the run" << describe(r);
    auto done = done_lines(work);
    std::string keys;
    for (const auto& [key, line] : done) keys += "\n  " + key;
    const std::string to_parent = "post:FK CONSTRAINT child.child_parent_id_fkey";
    const std::string to_itself = "post:FK CONSTRAINT child.child_up_fkey";
    const std::string child_key = "post:CONSTRAINT child.child_pkey";
    const std::string child_index = "post:INDEX child_parent";
    for (const auto& k : {to_parent, to_itself, child_key, child_index, std::string("step:copy-data")})
        ASSERT_TRUE(done.count(k)) << k << " is not journaled done; done:" << keys;
    EXPECT_LT(done[to_parent], done[child_key]) << "the key to the keyed parent comes first";
    EXPECT_LT(done[to_parent], done[child_index]);
    EXPECT_GT(done[to_itself], done[child_key]) << "a key to the table itself needs its primary key";
    EXPECT_LT(done[to_itself], done["step:copy-data"]);

    expect_same_schema(h.source(), kSourceDb, "early_fks", h.target(), db, "early_fks_copy");
    EXPECT_EQ(validated_foreign_keys(db, "early_fks_copy"), "2/2");
    EXPECT_THROW(h.target().run_sql(db, "INSERT INTO early_fks_copy.child VALUES (9999, 9999, NULL)"),
                 std::exception)
        << "the foreign key is enforced";
}

// Killed just after that early key committed (the parent's key is the first
// post-data entry, the child's key to it the second): the resumed run ends
// with the source's schema and every key validated.
TEST(EarlyKeys, AKillAfterAnEarlyForeignKeyResumes) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    load_parent_first_schema();
    auto& h = Harness::get();
    auto db = h.new_target_db("early_fks_kill");
    auto work = h.new_dir("early_fks_kill_journal");
    auto args = one_job_clone_args(work, db, "early_fks:early_fks_copy");
    auto killed = run_dbclone(args, {{"DBCLONE_FAULT", "post-data:after-exec@2"}});
    ASSERT_NE(killed.exit_code, 0) << describe(killed);
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint "
                                     "co JOIN pg_namespace n ON n.oid = co.connamespace "
                                     "WHERE n.nspname LIKE 'dbclone_incomplete_%'"),
              "child_parent_id_fkey,parent_pkey")
        << "killed after the parent's key and the child's early key to it";
    expect_no_complete_schema(h.target(), db, "early_fks_copy");

    args.insert(args.begin(), "--resume");
    auto resumed = run_dbclone(args);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, "early_fks", h.target(), db, "early_fks_copy");
    EXPECT_EQ(validated_foreign_keys(db, "early_fks_copy"), "2/2");
}

// Verification's read-back of a table fails while the table's key waits for
// it to attach (its server session is ended meanwhile): the run fails on the
// read-back, named as such, not as an error of creating the key; the key is
// whole, the schema stays marked incomplete, and --resume reads the table
// again in verify and finishes.
TEST(EarlyKeys, AReadBackThatFailsWhileAKeyWaitsIsReportedAsTheReadBack) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    // Rows enough that reading them back outlasts building the key's index
    // on one integer column by far.
    Harness::run_sql_as_app(h.source(), kSourceDb, R"SQL(
DROP SCHEMA IF EXISTS read_back_fails CASCADE;
CREATE SCHEMA read_back_fails;
CREATE TABLE read_back_fails.big (id int PRIMARY KEY, pad text NOT NULL);
ALTER TABLE read_back_fails.big ALTER pad SET STORAGE PLAIN;
INSERT INTO read_back_fails.big SELECT g, repeat(md5(g::text), 60) FROM generate_series(1, 30000) g;
)SQL");
    auto db = h.new_target_db("read_back_fails");
    auto work = h.new_dir("read_back_fails_journal");
    auto args = one_job_clone_args(work, db, "read_back_fails:read_back_copy");
    HaltedRun run(args, work, "post-data:key-index-built");
    if (!run.halted()) FAIL() << "the run did not halt with the key's index built" << describe(run.finish());
    const auto ended = h.target().query_value(
        db,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND query LIKE 'COPY %big%TO STDOUT%'");
    const auto& failed = run.finish();
    ASSERT_EQ(ended, "1") << "the read-back should still have been running when the key's index was built"
                          << describe(failed);
    ASSERT_NE(failed.exit_code, 0) << describe(failed);
    EXPECT_NE(failed.err.find("reading back table \"big\""), std::string::npos) << describe(failed);
    EXPECT_EQ(failed.err.find("pid 0"), std::string::npos)
        << "the lost session is named by its pid" << describe(failed);
    EXPECT_EQ(failed.err.find("creating CONSTRAINT"), std::string::npos)
        << "the read-back's error was reported as the key's" << describe(failed);
    expect_no_complete_schema(h.target(), db, "read_back_copy");

    args.insert(args.begin(), "--resume");
    auto resumed = run_dbclone(args);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, "read_back_fails", h.target(), db, "read_back_copy");
}

}  // namespace
}  // namespace dbclone::test
