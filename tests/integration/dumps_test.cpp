// `dbclone dumps` on a PostgreSQL dump-set store (--store DIR): two exports
// listed, a prune that is a dry run without --yes, a prune with --yes that
// deletes only the complete sets of temp/ older than --older-than, and
// permanent/ kept unless --allow-permanent. A dump set's age is its
// directory's timestamp, so the "old" sets here are exports renamed back in
// time.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "harness.h"

namespace dbclone::test {
namespace {

namespace fs = std::filesystem;

// The dump set directories under store/<retention>/src/schema/tea/, by name.
std::vector<std::string> sets(const fs::path& store, const std::string& retention) {
    std::vector<std::string> out;
    const fs::path dir = store / retention / kSourceDb / "schema" / kTea;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

DbcloneResult export_tea(const fs::path& store, const std::string& retention) {
    auto r = run_dbclone({"export", Harness::get().source_conninfo(), "--schema", kTea, "--store",
                          file_url(store), "--retention", retention});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    return r;
}

// Moves the only set under `retention` (or the older of two) to `timestamp`.
void backdate(const fs::path& store, const std::string& retention, const std::string& from,
              const std::string& timestamp) {
    const fs::path dir = store / retention / kSourceDb / "schema" / kTea;
    fs::rename(dir / from, dir / timestamp);
}

TEST(Dumps, ListsAndPrunesAPostgresStore) {
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto store = Harness::get().new_dir("store-dumps");
    export_tea(store, "temp");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // sets are named by the second
    export_tea(store, "temp");
    export_tea(store, "permanent");
    auto temp = sets(store, "temp");
    ASSERT_EQ(temp.size(), 2u);
    const std::string recent = temp[1];
    backdate(store, "temp", temp[0], "20200101T000000Z");
    backdate(store, "permanent", sets(store, "permanent").at(0), "20200101T000000Z");
    // An old set without manifest.json: an export that stopped (resumable), never pruned.
    const fs::path base = store / "temp" / kSourceDb / "schema" / kTea;
    fs::copy(base / recent, base / "20200102T000000Z", fs::copy_options::recursive);
    fs::remove(base / "20200102T000000Z" / "manifest.json");

    // Listing: every set, the incomplete one marked; no database needed.
    auto list = run_dbclone({"dumps", "--store", file_url(store), "--schema", kTea});
    ASSERT_EQ(list.exit_code, 0) << describe(list);
    for (const std::string& dir :
         {std::string("temp/src/schema/tea/20200101T000000Z/"), "temp/src/schema/tea/" + recent + "/",
          std::string("permanent/src/schema/tea/20200101T000000Z/"),
          std::string("temp/src/schema/tea/20200102T000000Z/")})
        EXPECT_NE(list.out.find(dir), std::string::npos) << dir << describe(list);
    EXPECT_NE(list.out.find("no manifest.json"), std::string::npos) << describe(list);
    EXPECT_NE(list.out.find("4 dump sets"), std::string::npos) << describe(list);

    // Prune without --yes: a dry run naming the old complete temp set only.
    auto dry = run_dbclone({"dumps", "--store", file_url(store), "--prune", "--older-than", "7d"});
    ASSERT_EQ(dry.exit_code, 0) << describe(dry);
    EXPECT_NE(dry.out.find("would delete"), std::string::npos) << describe(dry);
    EXPECT_NE(dry.out.find("dry run: 1 dump sets"), std::string::npos) << describe(dry);
    EXPECT_EQ(sets(store, "temp"),
              (std::vector<std::string>{"20200101T000000Z", "20200102T000000Z", recent}));

    // With --yes: the old complete temp set goes, whole; the recent one, the
    // incomplete one and permanent/ stay.
    auto yes = run_dbclone({"dumps", "--store", file_url(store), "--prune", "--older-than", "7d", "--yes"});
    ASSERT_EQ(yes.exit_code, 0) << describe(yes);
    EXPECT_EQ(sets(store, "temp"), (std::vector<std::string>{"20200102T000000Z", recent}));
    EXPECT_EQ(sets(store, "permanent"), (std::vector<std::string>{"20200101T000000Z"}));
    EXPECT_TRUE(fs::exists(base / recent / "manifest.json"));

    // permanent/ only with --allow-permanent.
    auto refused = run_dbclone({"dumps", "--store", file_url(store), "--prune", "--older-than", "7d",
                                "--retention", "permanent", "--yes"});
    EXPECT_EQ(refused.exit_code, 2) << describe(refused);
    EXPECT_EQ(sets(store, "permanent"), (std::vector<std::string>{"20200101T000000Z"}));
    auto allowed = run_dbclone({"dumps", "--store", file_url(store), "--prune", "--older-than", "7d",
                                "--retention", "permanent", "--allow-permanent", "--yes"});
    ASSERT_EQ(allowed.exit_code, 0) << describe(allowed);
    EXPECT_TRUE(sets(store, "permanent").empty());

    // What remains still imports: the recent set is the newest complete one.
    auto& h = Harness::get();
    auto db = h.new_target_db("tea_after_prune");
    auto im = run_dbclone(
        {"import", h.target_conninfo(db), "--store", file_url(store), "--schema", "tea:tea_kept"});
    EXPECT_EQ(im.exit_code, 0) << describe(im);
}

}  // namespace
}  // namespace dbclone::test
