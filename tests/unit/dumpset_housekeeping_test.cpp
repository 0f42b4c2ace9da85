// dumpset/housekeeping.h: the rules of `dbclone dumps` every engine follows,
// and listing / deleting dump sets in a real FileStore.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.h"
#include "dumpset/housekeeping.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"
#include "temp_store.h"

namespace dbclone::dumpset {
namespace {

ErrorKind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind();
    }
    return ErrorKind::internal;  // nothing thrown
}

TEST(DumpSetHousekeeping, PruneOptionsGoTogetherAndKeepPermanent) {
    EXPECT_EQ(parse_age_hours("7d"), 168);
    EXPECT_EQ(parse_age_hours("36h"), 36);
    EXPECT_EQ(kind_of([] { parse_age_hours("7w"); }), ErrorKind::usage);
    EXPECT_EQ(kind_of([] { prune_rule(true, "", false, false, ""); }), ErrorKind::usage);     // no age
    EXPECT_EQ(kind_of([] { prune_rule(false, "7d", false, false, ""); }), ErrorKind::usage);  // age alone
    EXPECT_EQ(kind_of([] { prune_rule(false, "", true, false, ""); }), ErrorKind::usage);     // --yes alone
    EXPECT_EQ(kind_of([] { prune_rule(true, "7d", true, false, "permanent"); }), ErrorKind::usage);
    auto rule = prune_rule(true, "7d", true, true, "permanent");
    EXPECT_EQ(rule.retention, "permanent");
    EXPECT_TRUE(rule.yes);
    EXPECT_EQ(prune_rule(true, "2d", false, false, "").retention, "temp");
    EXPECT_FALSE(prune_rule(true, "2d", false, false, "").yes);
}

TEST(DumpSetHousekeeping, AgeFromEitherTimestampShape) {
    EXPECT_EQ(age_hours("20260501T000000", "20260508T060000"), 7 * 24 + 6);
    EXPECT_EQ(age_hours("20260501T000000Z", "20260508T060000Z"), 7 * 24 + 6);
    PruneRule rule;
    rule.older_than_hours = 24;
    EXPECT_TRUE(due(rule, "temp", "20260501T000000Z", "20260502T000000Z"));
    EXPECT_FALSE(due(rule, "temp", "20260501T000001Z", "20260502T000000Z"));
    EXPECT_FALSE(due(rule, "daily", "20200101T000000Z", "20260502T000000Z"));  // another retention
}

TEST(DumpSetHousekeeping, ListsSetsAndDeletesOnlyCompleteOnesManifestFirst) {
    test::TempStore temp;
    Store& store = temp.store();
    const auto old_dir = dump_set_dir("temp", "db", "s", "20200101T000000Z");
    const auto open_dir = dump_set_dir("temp", "db", "s", "20200102T000000Z");
    write_all(store, old_dir + "/ddl.json", "{}");
    write_all(store, old_dir + "/data/t0001/000000.copy.zst", "x");
    write_manifest(store, old_dir, Manifest{});
    write_all(store, open_dir + "/ddl.json", "{}");  // an export still writing
    write_manifest(store, dump_set_dir("temp", "db", "other", "20200101T000000Z"), Manifest{});
    write_all(store, "temp/stray.txt", "not a dump set");

    auto all = list_sets(store, "", "");
    ASSERT_EQ(all.size(), 3u);
    auto of_s = list_sets(store, "s", "temp");
    ASSERT_EQ(of_s.size(), 2u);
    EXPECT_EQ(of_s[0].dir, old_dir);
    EXPECT_TRUE(of_s[0].complete);
    EXPECT_EQ(of_s[0].files, 3u);
    EXPECT_FALSE(of_s[1].complete);
    EXPECT_TRUE(list_sets(store, "s", "daily").empty());

    EXPECT_EQ(delete_set(store, of_s[0]), 3u);
    EXPECT_TRUE(store.list(old_dir + "/").empty());
    EXPECT_FALSE(std::filesystem::exists(temp.file(old_dir)));  // its folder went too
    EXPECT_EQ(kind_of([&] { delete_set(store, of_s[1]); }), ErrorKind::not_found);
    EXPECT_FALSE(store.list(open_dir + "/").empty());  // never touched
    EXPECT_EQ(list_sets(store, "", "").size(), 2u);
}

}  // namespace
}  // namespace dbclone::dumpset
