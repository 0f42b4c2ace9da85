// PiecewiseRows puts head and piece rows back into the plain COPY stream,
// byte for byte, with the checksum plain rows would give. The integration
// test (large_values_test.cpp) runs the query on real servers; here the
// streams are written by hand, in the shapes the server sends.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "engine/postgres/data/large_values.h"

namespace dbclone::pg {
namespace {

TableData table() {
    TableData t;
    t.name = "big";
    t.columns = {"id", "b", "t"};
    t.large_values = {{"b", "b"}, {"t", "t"}};
    return t;
}

std::string reassemble(const TableData& t, bool binary, const std::vector<std::string>& messages,
                       RowChecksum& sum) {
    std::string out;
    PiecewiseRows rows(t, binary, sum, [&](const char* d, std::size_t n) { out.append(d, n); });
    rows.start_stream();
    for (const auto& m : messages) rows.message(m.data(), m.size());
    rows.finish();
    return out;
}

// A text row of the piecewise COPY: k, id, b, t, then slice, pieces and
// bytes of b and of t; unset values are NULL.
std::string text_row(std::map<int, std::string> set) {
    std::string out;
    for (int i = 0; i < 10; ++i) out += (i ? "\t" : "") + (set.count(i) ? set[i] : std::string("\\N"));
    return out + "\n";
}

TEST(PiecewiseRows, TextRowsComeBackAsPlainCopyGivesThem) {
    auto t = table();
    // Row 1: b in two slices, t (a, tab, b, backslash, c, newline) in two;
    // row 2: everything in the head row.
    std::vector<std::string> messages{
        text_row({{0, "0"}, {1, "1"}, {5, "2"}, {6, "3"}, {8, "2"}, {9, "6"}}),
        text_row({{0, "2"}, {4, "\\\\x0102"}}),
        text_row({{0, "2"}, {4, "\\\\x03"}}),
        text_row({{0, "3"}, {7, "\\\\x610962"}}),
        text_row({{0, "3"}, {7, "\\\\x5c630a"}}),
        text_row({{0, "0"}, {1, "2"}, {2, "\\\\x"}}),
    };
    RowChecksum sum;
    auto out = reassemble(t, false, messages, sum);
    const std::string plain = "1\t\\\\x010203\ta\\tb\\\\c\\n\n2\t\\\\x\t\\N\n";
    EXPECT_EQ(out, plain);
    RowChecksum expected;
    expected.add_rows(plain.data(), plain.size());
    EXPECT_EQ(sum, expected);
}

std::string be16(int v) {
    return {static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string be32(std::int64_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}
std::string field(const std::string& bytes) {
    return be32(static_cast<std::int64_t>(bytes.size())) + bytes;
}
std::string int8(std::int64_t v) {
    return field(be32(v >> 32) + be32(v & 0xFFFFFFFF));
}
// A binary tuple of the piecewise COPY, laid out as text_row's.
std::string binary_row(std::map<int, std::string> set) {
    std::string out = be16(10);
    for (int i = 0; i < 10; ++i) out += set.count(i) ? set[i] : be32(-1);
    return out;
}
const std::string kHeader("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
const std::string kTrailer("\xff\xff", 2);

TEST(PiecewiseRows, BinaryRowsGetTheirLengthAndHeaderBack) {
    auto t = table();
    const std::string id = field(be32(7));
    std::vector<std::string> messages{
        kHeader + binary_row({{0, field(be32(0))}, {1, id}, {3, field("xyz")}, {5, int8(2)}, {6, int8(5)}}),
        binary_row({{0, field(be32(2))}, {4, field("\1\2\3")}}),
        binary_row({{0, field(be32(2))}, {4, field("\4\5")}}),
        kTrailer,
    };
    RowChecksum sum;
    auto out = reassemble(t, true, messages, sum);
    const std::string row = be16(3) + id + field("\1\2\3\4\5") + field("xyz");
    EXPECT_EQ(out, row);  // header and trailer are the caller's
    RowChecksum expected;
    expected.add_row(row.data(), row.size());
    EXPECT_EQ(sum, expected);
}

TEST(PiecewiseRows, BinaryRowsOfSeveralStreamsFollowOneAnother) {
    auto t = table();
    RowChecksum sum;
    std::string out;
    PiecewiseRows rows(t, true, sum, [&](const char* d, std::size_t n) { out.append(d, n); });
    for (int id : {1, 2}) {
        rows.start_stream();
        for (const auto& m : {kHeader + binary_row({{0, field(be32(0))},
                                                    {1, field(be32(id))},
                                                    {3, field("t")},
                                                    {5, int8(1)},
                                                    {6, int8(1)}}),
                              binary_row({{0, field(be32(2))}, {4, field("b")}}), kTrailer})
            rows.message(m.data(), m.size());
    }
    rows.finish();
    EXPECT_EQ(out, be16(3) + field(be32(1)) + field("b") + field("t") + be16(3) + field(be32(2)) +
                       field("b") + field("t"));
    EXPECT_EQ(sum.rows(), 2u);
    // A stream cut before its trailer.
    PiecewiseRows cut(t, true, sum, {});
    cut.start_stream();
    const auto head =
        kHeader + binary_row({{0, field(be32(0))}, {1, field(be32(1))}, {2, field("b")}, {3, field("t")}});
    cut.message(head.data(), head.size());
    EXPECT_THROW(cut.start_stream(), Error);
    EXPECT_THROW(cut.finish(), Error);
}

TEST(PiecewiseRows, PiecesOutOfOrderOrMissingAreAnError) {
    auto t = table();
    RowChecksum sum;
    const auto head = text_row({{0, "0"}, {1, "1"}, {3, "x"}, {5, "2"}, {6, "2"}});
    // A slice of t while b's are due.
    EXPECT_THROW(reassemble(t, false, {head, text_row({{0, "3"}, {7, "\\\\x01"}})}, sum), Error);
    // The next row's head before the last slice.
    EXPECT_THROW(reassemble(t, false, {head, text_row({{0, "2"}, {4, "\\\\x01"}}), head}, sum), Error);
    // The stream ends inside a row.
    EXPECT_THROW(reassemble(t, false, {head}, sum), Error);
    // Slices that do not add up to the length the head row gave.
    EXPECT_THROW(
        reassemble(t, false,
                   {head, text_row({{0, "2"}, {4, "\\\\x01"}}), text_row({{0, "2"}, {4, "\\\\x0203"}})}, sum),
        Error);
    EXPECT_THROW(
        reassemble(
            t, true,
            {kHeader +
                 binary_row(
                     {{0, field(be32(0))}, {1, field(be32(1))}, {3, field("")}, {5, int8(1)}, {6, int8(9)}}),
             binary_row({{0, field(be32(2))}, {4, field("\1")}}), kTrailer},
            sum),
        Error);
}

TEST(PiecewiseCopySql, CutsLargeValuesOncePerRowWithoutParallelWorkers) {
    auto t = table();
    const std::vector<std::string> ctids{"(3,1)", "(9,2)"};
    auto sql = piecewise_copy_sql("s", t, ctids, true);
    // Detoasted once per row (w, kept apart by OFFSET 0), sliced from there.
    EXPECT_NE(sql.find(R"(CASE WHEN octet_length(r."b") > 1048576 THEN byteasend(r."b") END)"),
              std::string::npos)
        << sql;
    EXPECT_NE(sql.find(R"(CASE WHEN octet_length(r."t") > 1048576 THEN textsend(r."t") END)"),
              std::string::npos)
        << sql;
    EXPECT_NE(sql.find("OFFSET 0) AS w(h0, h1, g0, h2, g1)"), std::string::npos) << sql;
    EXPECT_NE(sql.find("substring(w.g1 FROM q.o FOR 1048576)"), std::string::npos) << sql;
    EXPECT_NE(sql.find("generate_series(1, octet_length(w.g0), 1048576)"), std::string::npos) << sql;
    EXPECT_NE(sql.find("(FORMAT binary)"), std::string::npos) << sql;
    // Only the rows found to have a large value, by ctid.
    EXPECT_NE(sql.find(R"x(WHERE r.ctid = ANY ('{"(3,1)","(9,2)"}'::tid[]) OFFSET 0)x"), std::string::npos)
        << sql;
    EXPECT_EQ(
        large_rows_sql("s", t, nullptr),
        R"(SELECT ctid FROM ONLY "s"."big" WHERE (octet_length("b") > 1048576 OR octet_length("t") > 1048576))");
    BlockRange range{3, 9};
    EXPECT_EQ(
        large_rows_sql("s", t, &range),
        R"(SELECT ctid FROM ONLY "s"."big" WHERE (octet_length("b") > 1048576 OR octet_length("t") > 1048576))"
        R"( AND ctid >= '(3,0)'::tid AND ctid < '(9,0)'::tid)");
}

}  // namespace
}  // namespace dbclone::pg
