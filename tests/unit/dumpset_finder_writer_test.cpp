// dumpset::Finder (which dump set an import reads) and dumpset::Writer (a
// whole dump set from DDL text and rows) against a real FileStore.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/journal.h"
#include "dumpset/chunk_reader.h"
#include "dumpset/finder.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"
#include "dumpset/writer.h"
#include "temp_store.h"

namespace dbclone::dumpset {

namespace {

ErrorKind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind();
    }
    ADD_FAILURE() << "no error thrown";
    return ErrorKind::internal;
}

}  // namespace

TEST(DumpSetFinder, SearchesOneRetentionOrAll) {
    test::TempStore temp;
    Store& store = temp.store();
    Manifest m;
    write_manifest(store, dump_set_dir("daily", "db", "s", "20261125T010000Z"), m);
    write_manifest(store, dump_set_dir("30d", "db", "s", "20261126T010000Z"), m);
    write_manifest(store, dump_set_dir("temp", "db", "other", "20261127T010000Z"), m);
    write_all(store, dump_set_dir("temp", "db", "s", "20261128T010000Z") + "/ddl.json", "{}");  // incomplete

    Finder finder(store);
    auto all = finder.complete_sets("s");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].retention, "daily");
    EXPECT_EQ(all[1].retention, "30d");
    EXPECT_EQ(all[1].database, "db");
    EXPECT_EQ(all[1].timestamp, "20261126T010000Z");

    EXPECT_EQ(finder.newest_for_import("s", "daily"), dump_set_dir("daily", "db", "s", "20261125T010000Z"));
    EXPECT_EQ(finder.newest_for_import("s", Finder::kAnyRetention),
              dump_set_dir("30d", "db", "s", "20261126T010000Z"));
    EXPECT_EQ(kind_of([&] { finder.newest_for_import("s", "weekly"); }), ErrorKind::not_found);
}

TEST(DumpSetFinder, SetsOfSeveralDatabasesNeedAChoice) {
    test::TempStore temp;
    Store& store = temp.store();
    Manifest m;
    write_manifest(store, dump_set_dir("temp", "a/b", "s", "20261125T010000Z"), m);
    write_manifest(store, dump_set_dir("temp", "c", "s", "20261126T010000Z"), m);
    auto sets = Finder(store).complete_sets("s", "temp");
    ASSERT_EQ(sets.size(), 2u);
    EXPECT_EQ(sets[0].database, "a/b");  // decoded from a%2Fb
    EXPECT_EQ(kind_of([&] { Finder(store).newest_for_import("s", "temp"); }), ErrorKind::usage);
}

TEST(DumpSetWriter, WritesAWholeDumpSetAndResumesIntoTheSameDirectory) {
    test::TempStore temp;
    Store& store = temp.store();
    auto work = temp.file("work");
    Journal journal;
    DumpSetOrigin origin{"temp", "shop", "Mixed Case"};
    EXPECT_EQ(planned_location(store, origin),
              "temp/shop/schema/Mixed Case/<timestamp>/ in " + store.display_url());

    std::string dir;
    {
        Writer writer(store, journal, origin, work);
        dir = writer.dir();
        EXPECT_EQ(dir.rfind("temp/shop/schema/Mixed Case/", 0), 0u) << dir;
        writer.write_ddl("{\"entries\":[]}");
        Writer::TableRows rows(writer, "t0001", 8);  // a new chunk after 8 bytes of rows
        rows.add("1\ta\n2\tb\n", 8);
        rows.add("3\tc\n", 4);
        rows.finish();
    }
    // A resumed attempt gets the journaled directory back, not a new one.
    Writer writer(store, journal, origin, work);
    EXPECT_EQ(writer.dir(), dir);
    EXPECT_FALSE(store.stat(manifest_path(dir)));

    Manifest m;
    m.server_version = "17.0";
    TableEntry t;
    t.key = "t0001";
    t.schema_name = "Mixed Case";
    t.name = "items";
    t.columns = {"id", "label"};
    t.rows = 3;
    t.checksum = "c";
    m.tables.push_back(t);
    TableEntry empty = t;
    empty.key = "t0002";
    empty.name = "nothing";
    empty.rows = 0;
    m.tables.push_back(empty);
    writer.finish(m);

    Manifest read = read_manifest(store, dir);
    EXPECT_EQ(read.database, "shop");
    EXPECT_EQ(read.schema, "Mixed Case");
    EXPECT_EQ(read.server_version, "17.0");
    EXPECT_EQ(read.ddl_sha256.size(), 64u);
    ASSERT_EQ(read.tables.size(), 2u);
    ASSERT_EQ(read.tables[0].chunks.size(), 2u);
    EXPECT_TRUE(read.tables[1].chunks.empty());
    std::string rows;
    for (const auto& c : read.tables[0].chunks)
        read_chunk(store, dir, c, [&](const char* d, std::size_t n) { rows.append(d, n); });
    EXPECT_EQ(rows, "1\ta\n2\tb\n3\tc\n");
    EXPECT_TRUE(store.stat(join_path(dir, "export.log")));
    EXPECT_EQ(Finder(store).newest("temp", "shop", "Mixed Case"), dir);
}

}  // namespace dbclone::dumpset
