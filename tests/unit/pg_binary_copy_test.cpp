// COPY's binary format as the clone moves and checksums it
// (data/table_copy.h): the statements a binary table gets, and the framing
// of the stream libpq hands over (header before the first row, trailer
// after the last) that the checksum must skip.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "engine/postgres/data/table_copy.h"

namespace dbclone::pg {
namespace {

const std::string kHeader("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
const std::string kTrailer("\377\377", 2);
// One row of one int4 column holding 7: field count 1, length 4, value.
const std::string kRow("\0\1\0\0\0\4\0\0\0\7", 10);

TableData table(bool binary) {
    TableData t;
    t.name = "t";
    t.columns = {"a", "b"};
    t.binary_capable = true;
    t.binary_copy = binary;
    return t;
}

TEST(BinaryCopy, StatementsNameTheFormatOnlyForBinaryTables) {
    EXPECT_EQ(copy_out_sql("s", table(true)), "COPY \"s\".\"t\" (\"a\", \"b\") TO STDOUT (FORMAT binary)");
    EXPECT_EQ(copy_out_sql("s", table(false)), "COPY \"s\".\"t\" (\"a\", \"b\") TO STDOUT");
    BlockRange range{8, 16};
    EXPECT_EQ(copy_out_sql("s", table(true), &range),
              "COPY (SELECT \"a\", \"b\" FROM ONLY \"s\".\"t\" WHERE ctid >= '(8,0)'::tid AND ctid < "
              "'(16,0)'::tid) TO STDOUT "
              "(FORMAT binary)");
    EXPECT_EQ(copy_in_sql("s", table(true), true),
              "COPY \"s\".\"t\" (\"a\", \"b\") FROM STDIN WITH (FORMAT binary, FREEZE)");
    EXPECT_EQ(copy_in_sql("s", table(true), false),
              "COPY \"s\".\"t\" (\"a\", \"b\") FROM STDIN WITH (FORMAT binary)");
    EXPECT_EQ(copy_in_sql("s", table(false), true),
              "COPY \"s\".\"t\" (\"a\", \"b\") FROM STDIN WITH (FREEZE)");
    EXPECT_EQ(copy_in_sql("s", table(false), false), "COPY \"s\".\"t\" (\"a\", \"b\") FROM STDIN");
}

TEST(BinaryCopy, UseBinaryCopyFollowsWhatTheTypesAllow) {
    std::vector<TableData> tables{table(false), table(false)};
    tables[1].binary_capable = false;
    use_binary_copy(tables);
    EXPECT_TRUE(tables[0].binary_copy);
    EXPECT_FALSE(tables[1].binary_copy);
}

TEST(BinaryCopy, RowsAreTheTupleBytesWithoutHeaderOrTrailer) {
    BinaryCopyRows rows;
    const std::string first = kHeader + kRow;
    auto r1 = rows.row_of(first.data(), first.size());
    ASSERT_TRUE(r1.has_value());
    EXPECT_EQ(std::string(*r1), kRow);
    auto r2 = rows.row_of(kRow.data(), kRow.size());
    ASSERT_TRUE(r2.has_value());
    EXPECT_EQ(std::string(*r2), kRow);
    EXPECT_FALSE(rows.ended());
    EXPECT_FALSE(rows.row_of(kTrailer.data(), kTrailer.size()).has_value());
    EXPECT_TRUE(rows.ended());
}

TEST(BinaryCopy, AnEmptyTableIsHeaderAndTrailerInOneMessage) {
    BinaryCopyRows rows;
    // The server sends the header with the first row; with no rows, with the trailer.
    const std::string only = kHeader;
    EXPECT_FALSE(rows.row_of(only.data(), only.size()).has_value());
    EXPECT_FALSE(rows.row_of(kTrailer.data(), kTrailer.size()).has_value());
    EXPECT_TRUE(rows.ended());
}

TEST(BinaryCopy, AHeaderExtensionIsSkipped) {
    BinaryCopyRows rows;
    std::string header = kHeader;
    header[18] = 3;  // three bytes of extension follow
    const std::string first = header + "xyz" + kRow;
    auto r = rows.row_of(first.data(), first.size());
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(std::string(*r), kRow);
}

TEST(BinaryCopy, AStreamWithoutTheSignatureIsAnError) {
    BinaryCopyRows rows;
    const std::string text = "1\tone\n";
    EXPECT_THROW(rows.row_of(text.data(), text.size()), Error);
}

}  // namespace
}  // namespace dbclone::pg
