#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "dumpset/finder.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"
#include "temp_store.h"

namespace dbclone::dumpset {

TEST(DumpSetLayout, DirectoryKeepsReadableNames) {
    EXPECT_EQ(dump_set_dir("daily", "shop", "public", "20261126T043000Z"),
              "daily/shop/schema/public/20261126T043000Z");
    EXPECT_EQ(dump_set_dir("daily", "shop", "Mixed Case", "20261126T043000Z"),
              "daily/shop/schema/Mixed Case/20261126T043000Z");
}

TEST(DumpSetLayout, UnsafeNameCharactersArePercentEncoded) {
    EXPECT_EQ(dump_set_dir("r", "a/b", "x%y", "20261126T043000Z"), "r/a%2Fb/schema/x%25y/20261126T043000Z");
    EXPECT_EQ(encode_path_component(".."), "%2E%2E");
    EXPECT_EQ(encode_path_component("."), "%2E");
    EXPECT_EQ(encode_path_component("a.b"), "a.b");
    EXPECT_EQ(encode_path_component("tab\there"), "tab%09here");
    EXPECT_EQ(encode_path_component("Grüße"), "Gr%C3%BC%C3%9Fe");
    for (std::string name : {"a/b", "..", "x%y", "Grüße", "Mixed Case", "back\\slash:colon"})
        EXPECT_EQ(decode_path_component(encode_path_component(name)), name);
    EXPECT_THROW(decode_path_component("bad%2"), Error);
    EXPECT_THROW(decode_path_component("bad%zz"), Error);
}

TEST(DumpSetLayout, RejectsBadComponents) {
    auto usage = [](auto fn) {
        try {
            fn();
            ADD_FAILURE() << "no error";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::usage) << e.message();
        }
    };
    usage([] { dump_set_dir("", "db", "s", "20261126T043000Z"); });
    usage([] { dump_set_dir("a/b", "db", "s", "20261126T043000Z"); });
    usage([] { dump_set_dir("..", "db", "s", "20261126T043000Z"); });
    usage([] { dump_set_dir("r", "", "s", "20261126T043000Z"); });
    usage([] { dump_set_dir("r", "db", "", "20261126T043000Z"); });
    usage([] { dump_set_dir("r", "db", "s", "2026-11-26T04:30:00Z"); });
    usage([] { dump_set_dir("r", "db", "s", "../../../etc/pas"); });
    usage([] { chunk_path("", 1); });
    usage([] { chunk_path("..", 1); });
    usage([] { chunk_path("a/b", 1); });
}

TEST(DumpSetLayout, TimestampsAndChunkPaths) {
    std::string now = utc_timestamp_now();
    EXPECT_TRUE(is_dump_set_timestamp(now)) << now;
    EXPECT_FALSE(is_dump_set_timestamp("20261126T043000"));
    EXPECT_FALSE(is_dump_set_timestamp("2026112xT043000Z"));
    EXPECT_EQ(utc_iso8601_now().size(), 20u);
    EXPECT_EQ(chunk_path("t0001", 1), "data/t0001/000001.copy.zst");
    EXPECT_EQ(chunk_path("t0042", 123456), "data/t0042/123456.copy.zst");
    EXPECT_EQ(join_path("a/", "b"), "a/b");
    EXPECT_EQ(join_path("a", "b"), "a/b");
}

TEST(DumpSetLayout, NewestDumpSetIsTheLatestComplete) {
    test::TempStore temp;
    Store& store = temp.store();
    EXPECT_FALSE(Finder(store).newest("daily", "db", "Mixed Case"));

    Manifest m;
    std::string older = dump_set_dir("daily", "db", "Mixed Case", "20261125T010000Z");
    std::string newer = dump_set_dir("daily", "db", "Mixed Case", "20261126T010000Z");
    std::string incomplete = dump_set_dir("daily", "db", "Mixed Case", "20261127T010000Z");
    write_manifest(store, older, m);
    write_manifest(store, newer, m);
    write_all(store, incomplete + "/data/t0001/000001.copy.zst", "partial");
    // Other schemas, retentions and stray files do not count.
    write_manifest(store, dump_set_dir("daily", "db", "Mixed", "20261128T010000Z"), m);
    write_manifest(store, dump_set_dir("weekly", "db", "Mixed Case", "20261128T010000Z"), m);
    write_all(store, "daily/db/schema/Mixed Case/notatimestamp/manifest.json", "{}");
    write_all(store, "daily/db/schema/Mixed Case/20261129T010000Z/sub/manifest.json", "{}");

    auto found = Finder(store).newest("daily", "db", "Mixed Case");
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, newer);
}

}  // namespace dbclone::dumpset
