#include <gtest/gtest.h>

#include "engine/postgres/data/table_copy.h"

namespace dbclone::pg {
namespace {

TEST(BlockRanges, SmallTablesStayWhole) {
    auto r = block_ranges(100 << 20, 64 << 20, 8192);  // under two parts
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].first, 0u);
    EXPECT_EQ(r[0].end, 0u);  // open: the whole table
}

TEST(BlockRanges, CoverEveryBlockOnceAndEndOpen) {
    const std::uint64_t block = 8192, part = 64ull << 20, table = 1000ull << 20;
    auto r = block_ranges(table, part, block);
    ASSERT_GT(r.size(), 1u);
    EXPECT_EQ(r.front().first, 0u);
    for (std::size_t i = 1; i < r.size(); ++i) EXPECT_EQ(r[i].first, r[i - 1].end) << i;
    EXPECT_EQ(r.back().end, 0u);  // rows beyond the measured size are not missed
    EXPECT_GE(r.back().first + part / block, table / block);
}

TEST(CopySql, QuotesNamesAndAddsTheRange) {
    TableData t;
    t.name = "Mixed \"Case\"";
    t.columns = {"a", "select"};
    EXPECT_EQ(copy_out_sql("s p", t), R"(COPY "s p"."Mixed ""Case""" ("a", "select") TO STDOUT)");
    BlockRange range{10, 20};
    EXPECT_EQ(
        copy_out_sql("s", t, &range),
        R"(COPY (SELECT "a", "select" FROM ONLY "s"."Mixed ""Case""" WHERE ctid >= '(10,0)'::tid AND ctid < '(20,0)'::tid) TO STDOUT)");
    EXPECT_EQ(copy_in_sql("s", t, true),
              R"(COPY "s"."Mixed ""Case""" ("a", "select") FROM STDIN WITH (FREEZE))");
    TableData none;
    none.name = "t";
    EXPECT_EQ(copy_out_sql("s", none), R"(COPY (SELECT FROM ONLY "s"."t") TO STDOUT)");
}

TEST(EmptyRows, ChecksumMatchesCopyOutput) {
    RowChecksum c;
    c.add_rows("\n\n\n", 3);
    EXPECT_EQ(empty_rows_checksum(3), c);
}

}  // namespace
}  // namespace dbclone::pg

namespace dbclone::pg {
namespace {
TEST(CopySql, XmlColumnsAreReadAsText) {
    TableData t;
    t.name = "docs";
    t.columns = {"id", "body"};
    t.text_columns = {"body"};
    EXPECT_EQ(copy_out_sql("s", t), R"(COPY (SELECT "id", "body"::text FROM ONLY "s"."docs") TO STDOUT)");
    EXPECT_EQ(copy_in_sql("s", t, false), R"(COPY "s"."docs" ("id", "body") FROM STDIN)");
}
}  // namespace
}  // namespace dbclone::pg
