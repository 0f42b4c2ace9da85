// dbclone export → dbclone import with a schema remap, checked table by table
// and object by object against the source.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness.h"

namespace dbclone::test {
namespace {

// Exports `schema` of the source database into a fresh file store; returns the store dir.
std::filesystem::path export_schema(const std::string& schema, const std::string& hint) {
    auto& h = Harness::get();
    auto store = h.new_dir(hint);
    auto r = run_dbclone({"export", h.source_conninfo(), "--schema", schema, "--store", file_url(store)});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_FALSE(find_files(store, "manifest").empty())
        << "no manifest written under " << store << describe(r);
    return store;
}

TEST(ExportImport, PagilaRemappedIntoAnotherServer) {
    DBCLONE_REQUIRE_FIXTURE("pagila");
    auto& h = Harness::get();
    auto store = h.new_dir("store-pagila");
    auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", "public", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    // docs/CLI.md: export prints <retention>/<database>/schema/<schema>/<timestamp>/
    EXPECT_NE(ex.out.find("/src/schema/public/"), std::string::npos) << describe(ex);
    ASSERT_FALSE(find_files(store, "manifest").empty()) << "no manifest under " << store;

    auto db = h.new_target_db("pagila_import");
    auto im = run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema",
                           "public:pagila_copy"});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    expect_same_schema(h.source(), kSourceDb, "public", h.target(), db, "pagila_copy");

    // The same dump set imports again under another name, next to the first copy.
    auto again = run_dbclone(
        {"import", h.target_conninfo(db), "--store", file_url(store), "--schema", "public:pagila_second"});
    ASSERT_EQ(again.exit_code, 0) << describe(again);
    expect_same_schema(h.source(), kSourceDb, "public", h.target(), db, "pagila_second");
    expect_same_schema(h.source(), kSourceDb, "public", h.target(), db, "pagila_copy");
}

TEST(ExportImport, IntoTheSameDatabaseThatStillHoldsTheSource) {
    DBCLONE_REQUIRE_FIXTURE("pagila");
    auto& h = Harness::get();
    auto before_inventory = inventory(h.source(), kSourceDb, "public");
    auto before_rows = table_checksums(h.source(), kSourceDb, "public");
    auto store = export_schema("public", "store-pagila-same");

    auto im = run_dbclone(
        {"import", h.source_conninfo(), "--store", file_url(store), "--remap-schema", "public:pagila_same"});
    EXPECT_EQ(im.exit_code, 0) << describe(im);
    expect_same_schema(h.source(), kSourceDb, "public", h.source(), kSourceDb, "pagila_same");
    // The source schema is untouched by an import next to it.
    EXPECT_EQ(inventory(h.source(), kSourceDb, "public"), before_inventory);
    EXPECT_EQ(table_checksums(h.source(), kSourceDb, "public"), before_rows);
    h.source().run_sql(kSourceDb, "DROP SCHEMA IF EXISTS pagila_same CASCADE");
}

TEST(ExportImport, DemoSchemaEveryObjectKind) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto store = export_schema(kDemo, "store-demo");
    auto db = h.new_target_db("demo_import");
    auto im = run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema",
                           "shop:shop_imported"});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_imported");
    // Bodies that spell the old schema name ("shop.") are rewritten to the
    // new one, and each rewrite is listed in the run's summary.
    for (const char* name :
         {"PROCEDURE cancel_order", "FUNCTION order_total", "FUNCTION log_status_change"}) {
        EXPECT_NE(im.out.find(std::string("remapped in ") + name), std::string::npos) << name << describe(im);
        EXPECT_EQ(im.err.find(std::string("warning: ") + name), std::string::npos) << name << describe(im);
    }
    EXPECT_EQ(im.out.find("remapped in FUNCTION touch_note"), std::string::npos)
        << describe(im);  // its body does not name it
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_proc WHERE pronamespace = "
                                     "'shop_imported'::regnamespace AND prosrc ~ '\\mshop\\.'"),
              "0")
        << "a copied body still names the source schema";

    // --no-rewrite-bodies: copied unchanged, as Data Pump does, each named in a warning.
    auto kept = run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema",
                             "shop:shop_kept", "--no-rewrite-bodies"});
    ASSERT_EQ(kept.exit_code, 0) << describe(kept);
    for (const char* name : {"PROCEDURE cancel_order", "FUNCTION order_total", "FUNCTION log_status_change"})
        EXPECT_NE(kept.err.find(std::string("warning: ") + name), std::string::npos)
            << name << describe(kept);
}

TEST(ExportImport, NewestDumpSetIsImportedWhenDumpIsOmitted) {
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto& h = Harness::get();
    auto store = export_schema(kTea, "store-tea-newest");
    // Dump set directories are named by timestamp: make the second one later.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    h.source().run_sql(kSourceDb, "INSERT INTO tea.plain VALUES (1000, 'added after the first export')");
    auto second = run_dbclone({"export", h.source_conninfo(), "--schema", kTea, "--store", file_url(store)});
    h.source().run_sql(kSourceDb, "DELETE FROM tea.plain WHERE id = 1000");
    ASSERT_EQ(second.exit_code, 0) << describe(second);
    auto db = h.new_target_db("tea_newest");
    auto im =
        run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store), "--schema", "tea:tea_new"});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM tea_new.plain WHERE id = 1000"), "1")
        << "the newest dump set (the one with row 1000) was not the one imported";
}

}  // namespace
}  // namespace dbclone::test
