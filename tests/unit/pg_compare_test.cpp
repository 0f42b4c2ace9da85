// The comparisons of a PostgreSQL verify (verify/compare): every difference is
// one failed check naming the object; what is equal passes.
#include <gtest/gtest.h>

#include <string>

#include "engine/postgres/verify/compare.h"

namespace dbclone::pg {
namespace {

DdlEntry entry(std::string kind, std::string name, std::string sql, std::string role = {}) {
    DdlEntry e;
    e.kind = std::move(kind);
    e.name = std::move(name);
    e.sql = std::move(sql);
    e.role = std::move(role);
    return e;
}

const Check* find(const Report& r, const std::string& category, const std::string& name) {
    for (const auto& c : r.checks())
        if (c.category == category && c.name == name) return &c;
    return nullptr;
}

TEST(PgCompare, InventoryNamesEveryDifference) {
    SchemaCatalog source, target;
    source.entries = {entry("TABLE", "a", "CREATE TABLE a (x int)"), entry("TABLE", "b", "CREATE TABLE b ()"),
                      entry("VIEW", "v", "SELECT 1"),
                      entry("GRANT", "SELECT ON a TO ghost", "GRANT", "ghost")};
    target.entries = {entry("TABLE", "a", "CREATE TABLE a (x int)"), entry("VIEW", "v", "SELECT 2"),
                      entry("INDEX", "extra", "CREATE INDEX extra")};
    Report r;
    compare_inventory(source, target, {"postgres"}, r);
    auto label = [](const char* kind, const char* name) { return entry_label(entry(kind, name, "")); };
    ASSERT_TRUE(find(r, "objects", label("TABLE", "b")));
    EXPECT_EQ(find(r, "objects", label("TABLE", "b"))->status, CheckStatus::fail);
    ASSERT_TRUE(find(r, "objects", label("VIEW", "v")));
    EXPECT_NE(find(r, "objects", label("VIEW", "v"))->evidence.find("definition differs"), std::string::npos);
    ASSERT_TRUE(find(r, "objects", label("GRANT", "SELECT ON a TO ghost")));
    EXPECT_EQ(find(r, "objects", label("GRANT", "SELECT ON a TO ghost"))->status, CheckStatus::warn);
    ASSERT_TRUE(find(r, "objects", label("INDEX", "extra")));
    EXPECT_EQ(find(r, "objects", label("INDEX", "extra"))->status, CheckStatus::fail);
    ASSERT_TRUE(find(r, "objects", "TABLE"));
    EXPECT_EQ(find(r, "objects", "TABLE")->status, CheckStatus::pass);
    EXPECT_EQ(r.count(CheckStatus::fail), 3u);

    Report kept;  // the target's own objects, kept by --table-exists-action
    compare_inventory(source, target, {"postgres"}, kept, true);
    EXPECT_EQ(find(kept, "objects", label("INDEX", "extra"))->status, CheckStatus::info);
}

TEST(PgCompare, TablesByCountThenChecksum) {
    std::vector<TableData> tables(4);
    tables[0].name = "same";
    tables[1].name = "fewer";
    tables[2].name = "changed";
    tables[3].name = "gone";
    std::map<std::string, TableCopyResult> source = {
        {"same", {3, "aa"}}, {"fewer", {3, "aa"}}, {"changed", {3, "aa"}}, {"gone", {1, "bb"}}};
    std::map<std::string, TableCopyResult> target = {
        {"same", {3, "aa"}}, {"fewer", {2, "cc"}}, {"changed", {3, "dd"}}};
    Report r;
    compare_tables(tables, source, target, r);
    EXPECT_EQ(find(r, "rows", "same")->status, CheckStatus::pass);
    EXPECT_EQ(find(r, "checksums", "same")->status, CheckStatus::pass);
    EXPECT_EQ(find(r, "rows", "fewer")->status, CheckStatus::fail);
    EXPECT_EQ(find(r, "checksums", "fewer"), nullptr);  // counts differ: no checksum check
    EXPECT_EQ(find(r, "rows", "changed")->status, CheckStatus::pass);
    EXPECT_EQ(find(r, "checksums", "changed")->status, CheckStatus::fail);
    EXPECT_EQ(find(r, "rows", "gone")->status, CheckStatus::fail);
    EXPECT_EQ(r.count(CheckStatus::fail), 3u);
}

TEST(PgCompare, SequencesByValueAndCalledFlag) {
    SchemaCatalog source, target;
    source.sequences = {{"s1", "10", true}, {"s2", "5", true}, {"s3", "1", false}};
    target.sequences = {{"s1", "10", true}, {"s2", "5", false}};
    Report r;
    compare_sequences(source, target, r);
    EXPECT_EQ(find(r, "sequences", "s1")->status, CheckStatus::pass);
    EXPECT_EQ(find(r, "sequences", "s2")->status, CheckStatus::fail);
    EXPECT_EQ(find(r, "sequences", "s3")->evidence, "missing on target");
}

}  // namespace
}  // namespace dbclone::pg
