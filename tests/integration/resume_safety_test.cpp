// A resumed run continues the run that was interrupted, not another one
// (issue 12, points 2, 4, 5, 7): the source's structure is the one it
// started with (or the user says to redo what changed), every table comes
// from one snapshot (or the user accepts a mixed copy, which is then said),
// an import keeps the dump set it started with, and the settings that shape
// the result are those it started with. Compared independently of dbclone.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitTargetExists = 6;

constexpr int kKilled = 128 + 9;
constexpr int kExitUsage = 2;
constexpr int kExitSourceChanged = 17;
// With one job the first table journaled is killed right after: the other
// tables are still to be copied.
const EnvChanges kKillAfterFirstTable{{"DBCLONE_FAULT", "table-work:after-done@1"}};

// A small schema of its own in the source database, as the managed-service role.
std::string make_source_schema(const std::string& name) {
    auto& h = Harness::get();
    Harness::run_sql_as_app(h.source(), kSourceDb,
                            "CREATE SCHEMA " + name +
                                ";"
                                "CREATE TABLE " +
                                name +
                                ".a (id int PRIMARY KEY, v text);"
                                "CREATE TABLE " +
                                name +
                                ".b (id int PRIMARY KEY, v text);"
                                "CREATE TABLE " +
                                name +
                                ".c (id int PRIMARY KEY, v text);"
                                "INSERT INTO " +
                                name +
                                ".a SELECT g, 'a' || g FROM generate_series(1, 200) g;"
                                "INSERT INTO " +
                                name +
                                ".b SELECT g, 'b' || g FROM generate_series(1, 300) g;"
                                "INSERT INTO " +
                                name + ".c SELECT g, 'c' || g FROM generate_series(1, 400) g;");
    return name;
}

void change_every_row(const std::string& schema) {
    Harness::run_sql_as_app(Harness::get().source(), kSourceDb,
                            "UPDATE " + schema + ".a SET v = v || '*'; UPDATE " + schema +
                                ".b SET v = v || '*'; UPDATE " + schema + ".c SET v = v || '*';");
}

std::vector<std::string> with_resume(std::vector<std::string> args) {
    args.insert(args.begin(), "--resume");
    return args;
}

TEST(ResumeSafety, CloneResumedAgainstAChangedSourceIsRefusedUnlessAllowed) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_changed");
    auto db = h.new_target_db("rs_changed");
    std::vector<std::string> args{"-j",       "1",   "clone", h.source_conninfo(), h.target_conninfo(db),
                                  "--schema", schema};
    auto killed = run_dbclone(args, kKillAfterFirstTable);
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    // Between the attempts a table is added and one is dropped.
    Harness::run_sql_as_app(h.source(), kSourceDb,
                            "CREATE TABLE " + schema + ".d (id int, v text); INSERT INTO " + schema +
                                ".d VALUES (1, 'd'); DROP TABLE " + schema + ".b;");
    auto refused = run_dbclone(with_resume(args));
    EXPECT_EQ(refused.exit_code, kExitSourceChanged) << describe(refused);
    EXPECT_NE(refused.err.find("table \"d\" added, table \"b\" dropped"), std::string::npos)
        << describe(refused);
    EXPECT_NE(refused.err.find("--allow-changed-source"), std::string::npos) << describe(refused);
    expect_no_complete_schema(h.target(), db, schema);

    auto allowed = with_resume(args);
    allowed.push_back("--allow-changed-source");
    auto done = run_dbclone(allowed);
    ASSERT_EQ(done.exit_code, 0) << describe(done);
    expect_same_schema(h.source(), kSourceDb, schema, h.target(), db, schema);
}

TEST(ResumeSafety, ResumedCloneReadsEveryTableInOneSnapshotByDefault) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_snapshot");
    auto db = h.new_target_db("rs_snapshot");
    std::vector<std::string> args{"-j",       "1",   "clone", h.source_conninfo(), h.target_conninfo(db),
                                  "--schema", schema};
    auto killed = run_dbclone(args, kKillAfterFirstTable);
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    change_every_row(schema);  // the table copied before the kill no longer matches
    auto resumed = run_dbclone(with_resume(args));
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_EQ(resumed.err.find("mixes two snapshots"), std::string::npos) << describe(resumed);
    expect_same_schema(h.source(), kSourceDb, schema, h.target(), db, schema);
}

TEST(ResumeSafety, MixedSnapshotCloneOnlyWhenAskedAndThenSaidInTheReport) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_mixed");
    auto db = h.new_target_db("rs_mixed");
    std::vector<std::string> args{"-j",
                                  "1",
                                  "clone",
                                  h.source_conninfo(),
                                  h.target_conninfo(db),
                                  "--schema",
                                  schema,
                                  "--allow-mixed-snapshot",
                                  "--json"};
    auto killed = run_dbclone(args, kKillAfterFirstTable);
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    const auto before = table_checksums(h.source(), kSourceDb, schema);
    change_every_row(schema);
    auto resumed = run_dbclone(with_resume(args));
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_NE(resumed.err.find("mixes two snapshots"), std::string::npos) << describe(resumed);
    auto report = nlohmann::json::parse(resumed.out);
    bool said = false;
    for (const auto& c : report["report"]["checks"])
        said = said || (c["category"] == "snapshot" && c["status"] == "warn");
    EXPECT_TRUE(said) << resumed.out;
    // Exactly what was asked: one table from before the change, the others after.
    const auto copy = table_checksums(h.target(), db, schema);
    const auto after = table_checksums(h.source(), kSourceDb, schema);
    int old_rows = 0, new_rows = 0;
    for (const auto& [table, sum] : copy) {
        old_rows += sum == before.at(table);
        new_rows += sum == after.at(table);
    }
    EXPECT_EQ(old_rows, 1);
    EXPECT_EQ(new_rows, 2);
}

TEST(ResumeSafety, MixedSnapshotExportIsRecordedInTheManifest) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_mixed_export");
    auto store = h.new_dir("rs-mixed-export");
    std::vector<std::string> args{"-j",       "1",    "export",  h.source_conninfo(),
                                  "--schema", schema, "--store", file_url(store)};
    auto killed = run_dbclone(args, kKillAfterFirstTable);
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    auto mixed = with_resume(args);
    mixed.push_back("--allow-mixed-snapshot");
    // The settings a run started with hold for its resume: the flag was not given at first.
    auto refused = run_dbclone(mixed);
    EXPECT_EQ(refused.exit_code, kExitUsage) << describe(refused);
    EXPECT_NE(refused.err.find("--allow-mixed-snapshot"), std::string::npos) << describe(refused);
    auto resumed = run_dbclone(with_resume(args));
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    auto manifests = find_files(store, "manifest.json");
    ASSERT_EQ(manifests.size(), 1u);
    auto manifest = nlohmann::json::parse(read_file(manifests[0]));
    EXPECT_FALSE(manifest.dump().find("mixed_snapshot") != std::string::npos) << manifest.dump(1);

    auto store2 = h.new_dir("rs-mixed-export-2");
    std::vector<std::string> args2{"-j",   "1",       "export",         h.source_conninfo(),     "--schema",
                                   schema, "--store", file_url(store2), "--allow-mixed-snapshot"};
    ASSERT_EQ(run_dbclone(args2, kKillAfterFirstTable).exit_code, kKilled);
    auto resumed2 = run_dbclone(with_resume(args2));
    ASSERT_EQ(resumed2.exit_code, 0) << describe(resumed2);
    EXPECT_NE(resumed2.err.find("mixes two snapshots"), std::string::npos) << describe(resumed2);
    auto manifests2 = find_files(store2, "manifest.json");
    ASSERT_EQ(manifests2.size(), 1u);
    EXPECT_NE(read_file(manifests2[0]).find("\"mixed_snapshot\""), std::string::npos);
}

TEST(ResumeSafety, ResumedImportKeepsItsDumpSet) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_pinned");
    auto store = h.new_dir("rs-pinned");
    auto first = run_dbclone({"export", h.source_conninfo(), "--schema", schema, "--store", file_url(store)});
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    const auto exported = table_checksums(h.source(), kSourceDb, schema);
    auto db = h.new_target_db("rs_pinned");
    std::vector<std::string> args{
        "-j", "1", "import", h.target_conninfo(db), "--store", file_url(store), "--schema", schema};
    ASSERT_EQ(run_dbclone(args, kKillAfterFirstTable).exit_code, kKilled);
    // A newer dump set of other rows appears while the import waits for its resume.
    change_every_row(schema);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // dump sets are named by the second
    auto second =
        run_dbclone({"export", h.source_conninfo(), "--schema", schema, "--store", file_url(store)});
    ASSERT_EQ(second.exit_code, 0) << describe(second);
    ASSERT_EQ(find_files(store, "manifest.json").size(), 2u);

    auto resumed = run_dbclone(with_resume(args));
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_EQ(table_checksums(h.target(), db, schema), exported) << "the resume switched dump sets";
}

TEST(ResumeSafety, ResumeWithAnotherChunkSizeIsRefusedNamingTheSetting) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_chunk");
    auto store = h.new_dir("rs-chunk");
    std::vector<std::string> args{"-j",   "1",       "export",        h.source_conninfo(), "--schema",
                                  schema, "--store", file_url(store), "--chunk-size",      "8KiB"};
    ASSERT_EQ(run_dbclone(args, kKillAfterFirstTable).exit_code, kKilled);
    auto other = with_resume(args);
    other.back() = "16KiB";
    auto refused = run_dbclone(other);
    EXPECT_EQ(refused.exit_code, kExitUsage) << describe(refused);
    EXPECT_NE(refused.err.find("--chunk-size 16384 (the interrupted run: 8192)"), std::string::npos)
        << describe(refused);
    EXPECT_NE(refused.err.find("--chunk-size 8192"), std::string::npos) << "the hint names the value to use";
    auto resumed = run_dbclone(with_resume(args));
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
}

// An export killed after every table was written, resumed with
// --allow-changed-source after a table was dropped from the source: the
// dropped table's chunks (and their folder) do not stay in the dump set,
// which holds exactly what its manifest lists.
TEST(ResumeSafety, ExportResumedAfterADropKeepsNothingTheManifestDoesNotList) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_dropped_export");
    auto store = h.new_dir("rs-dropped-export");
    std::vector<std::string> args{"-j",   "1",       "export",        h.source_conninfo(), "--schema",
                                  schema, "--store", file_url(store), "--chunk-size",      "4KiB"};
    // The third table journaled: every table has its chunks in the dump set.
    auto killed = run_dbclone(args, {{"DBCLONE_FAULT", "table-work:after-done@3"}});
    ASSERT_EQ(killed.exit_code, kKilled) << describe(killed);
    auto chunk_folders = [&] {
        std::set<std::string> out;
        for (const auto& f : find_files(store, ".copy.zst")) out.insert(f.parent_path().string());
        return out;
    };
    ASSERT_EQ(chunk_folders().size(), 3u) << "every table's chunks were written before the kill";
    Harness::run_sql_as_app(h.source(), kSourceDb, "DROP TABLE " + schema + ".b");
    auto allowed = with_resume(args);
    allowed.push_back("--allow-changed-source");
    auto resumed = run_dbclone(allowed);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);

    auto manifests = find_files(store, "manifest.json");
    ASSERT_EQ(manifests.size(), 1u);
    const auto dir = manifests[0].parent_path();
    const auto manifest = nlohmann::json::parse(read_file(manifests[0]));
    std::set<std::string> listed{"manifest.json", "ddl.json", "export.log"};
    for (const auto& t : manifest["tables"]) {
        EXPECT_NE(t["name"], "b") << "the dropped table is in the manifest";
        for (const auto& c : t["chunks"]) listed.insert(c["path"].get<std::string>());
    }
    std::set<std::string> present;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        const auto rel = std::filesystem::relative(entry.path(), dir).generic_string();
        if (entry.is_regular_file())
            present.insert(rel);
        else
            EXPECT_FALSE(std::filesystem::is_empty(entry.path())) << "an empty folder stayed: " << rel;
    }
    EXPECT_EQ(present, listed);
    EXPECT_EQ(chunk_folders().size(), 2u) << "the dropped table's chunk folder stayed";

    auto db = h.new_target_db("rs_dropped_export");
    auto im = run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store), "--schema", schema});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    expect_same_schema(h.source(), kSourceDb, schema, h.target(), db, schema);
}

// A run that stopped on a usage error before doing anything leaves no
// journal that blocks the corrected command.
TEST(ResumeSafety, UsageErrorLeavesNoJournalThatBlocksTheCorrectedCommand) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_usage");
    auto store = h.new_dir("rs-usage");
    auto bad = run_dbclone({"export", h.source_conninfo(), "--schema", schema, "--store", file_url(store),
                            "--retention", "a/b"});
    ASSERT_EQ(bad.exit_code, kExitUsage) << describe(bad);
    auto good = run_dbclone({"export", h.source_conninfo(), "--schema", schema, "--store", file_url(store),
                             "--retention", "30d"});
    EXPECT_EQ(good.exit_code, 0) << describe(good);
}

// A clone refused because its target schema is taken, after it read only
// the source, leaves no journal: the same command again says the same (not
// "a journal for this run already exists"), and a --resume of a run that
// had finished, which finds its own copy, leaves none either.
TEST(ResumeSafety, OccupiedTargetLeavesNoJournalBehind) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto schema = make_source_schema("rs_taken");
    auto db = h.new_target_db("rs_taken");
    auto work = h.new_dir("rs-taken-work");
    const std::vector<std::string> clone = {
        "--work-dir", work.string(), "clone", h.source_conninfo(), h.target_conninfo(db), "--schema", schema};
    auto first = run_dbclone(clone);
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    for (const bool resume : {false, true}) {
        auto args = clone;
        if (resume) args.insert(args.begin(), "--resume");
        auto again = run_dbclone(args);
        EXPECT_EQ(again.exit_code, kExitTargetExists) << describe(again);
        EXPECT_NE(again.err.find("already exists in the target database"), std::string::npos)
            << describe(again);
        EXPECT_TRUE(find_files(work, ".journal").empty()) << "a journal was left behind" << describe(again);
    }
}

}  // namespace
}  // namespace dbclone::test
