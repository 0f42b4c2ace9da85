#include "core/row_checksum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>

namespace dbclone {

TEST(RowChecksum, IndependentOfRowOrderButNotOfContent) {
    RowChecksum a, b, c;
    a.add_row("1\tx\n", 4);
    a.add_row("2\ty\n", 4);
    b.add_row("2\ty\n", 4);
    b.add_row("1\tx\n", 4);
    c.add_row("1\tx\n", 4);
    c.add_row("2\tz\n", 4);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.hex(), b.hex());
    EXPECT_NE(a.hex(), c.hex());
    EXPECT_EQ(a.rows(), 2u);
}

TEST(RowChecksum, SplittingABufferEqualsRowByRow) {
    std::string buffer = "1\ta\\nb\n2\t\\N\n3\t\n";
    RowChecksum whole, rows;
    whole.add_rows(buffer.data(), buffer.size());
    rows.add_row("1\ta\\nb\n", 7);
    rows.add_row("2\t\\N\n", 5);
    rows.add_row("3\t\n", 3);
    EXPECT_EQ(whole, rows);
    EXPECT_EQ(whole.rows(), 3u);
}

TEST(RowChecksum, ARowInPiecesHashesAsTheWholeRow) {
    const std::string row = std::string(
                                "\x00\x02"
                                "binary\nrow",
                                12) +
                            std::string(5000, 'x');
    RowChecksum whole, pieces;
    whole.add_row(row.data(), row.size());
    whole.add_row("", 0);
    pieces.add_row_piece(row.data(), 7);
    pieces.add_row_piece(row.data() + 7, row.size() - 7);
    EXPECT_FALSE(pieces.stream_complete());
    pieces.end_row();
    pieces.end_row();  // an empty row: no pieces at all
    EXPECT_TRUE(pieces.stream_complete());
    EXPECT_EQ(pieces, whole);
    EXPECT_EQ(pieces.rows(), 2u);
}

}  // namespace dbclone

TEST(RowChecksum, StreamCutAnywhereEqualsWholeRows) {
    const std::string text = "1\talpha\n2\tbeta\\nwith escaped newline\n3\t\\N\n\n4\tlast row\n";
    dbclone::RowChecksum whole;
    whole.add_rows(text.data(), text.size());
    for (std::size_t piece = 1; piece <= text.size(); ++piece) {
        dbclone::RowChecksum streamed;
        for (std::size_t at = 0; at < text.size(); at += piece)
            streamed.add_stream(text.data() + at, std::min(piece, text.size() - at));
        EXPECT_TRUE(streamed.stream_complete()) << "piece " << piece;
        EXPECT_EQ(streamed, whole) << "piece " << piece;
    }
    dbclone::RowChecksum partial;
    partial.add_stream("1\tno newline", 12);
    EXPECT_FALSE(partial.stream_complete());
}

TEST(RowChecksum, PartsMergeIntoTheWholeAndSurviveAJournal) {
    dbclone::RowChecksum whole, first, second;
    for (const char* row : {"1\ta\n", "2\tb\n", "3\tc\n"}) whole.add_row(row, 4);
    first.add_row("1\ta\n", 4);
    second.add_row("2\tb\n", 4);
    second.add_row("3\tc\n", 4);
    dbclone::RowChecksum restored;
    ASSERT_TRUE(dbclone::RowChecksum::parse(first.rows(), first.hex(), restored));
    restored.merge(second);
    EXPECT_EQ(restored, whole);
    EXPECT_FALSE(dbclone::RowChecksum::parse(1, "not hex", restored));
}

// A row far bigger than any piece (a large value) streams through without
// being held, and hashes as the one-shot row does; a copy taken mid-row
// carries on from where the original was.
TEST(RowChecksum, ARowBiggerThanEveryPieceHashesAsAWholeRowAndCopiesMidRow) {
    std::string big = "7\t";
    for (int i = 0; i < 3 * 1024 * 1024; ++i) big += static_cast<char>('a' + i % 26);
    big += "\n";
    const std::string text = "1\tsmall\n" + big + "2\tafter\n";
    dbclone::RowChecksum whole;
    whole.add_rows(text.data(), text.size());
    dbclone::RowChecksum streamed;
    std::optional<dbclone::RowChecksum> copy;
    const std::size_t piece = 256 * 1024;
    for (std::size_t at = 0; at < text.size(); at += piece) {
        streamed.add_stream(text.data() + at, std::min(piece, text.size() - at));
        if (!copy && at > 1024 * 1024)
            copy = streamed;  // in the middle of the big row
        else if (copy)
            copy->add_stream(text.data() + at, std::min(piece, text.size() - at));
    }
    EXPECT_TRUE(streamed.stream_complete());
    EXPECT_EQ(streamed, whole);
    ASSERT_TRUE(copy.has_value());
    EXPECT_TRUE(copy->stream_complete());
    EXPECT_EQ(*copy, whole);
}
