#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "dumpset/chunk_reader.h"
#include "dumpset/chunk_writer.h"
#include "dumpset/layout.h"
#include "store/filter/sha256.h"
#include "temp_store.h"

namespace dbclone::dumpset {

namespace {

const std::string kDir = "daily/db/schema/public/20261126T043000Z";

// n COPY text rows of varying length.
std::string make_rows(int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += std::to_string(i) + "\t" + std::string(static_cast<std::size_t>(i % 37), 'x') + "\t\\N\n";
    return out;
}

std::string read_back(Store& store, const ChunkEntry& chunk) {
    std::string out;
    read_chunk(store, kDir, chunk, [&](const char* data, std::size_t n) { out.append(data, n); });
    return out;
}

std::vector<ChunkEntry> write_in_pieces(Store& store, const std::string& rows, std::uint64_t limit) {
    ChunkWriter writer(store, kDir, "t0001", limit);
    // Feed several rows per call, always ending at a row boundary.
    std::size_t start = 0;
    int rows_in_piece = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i] != '\n' || ++rows_in_piece < 3) continue;
        writer.write_rows(rows.data() + start, i + 1 - start);
        start = i + 1;
        rows_in_piece = 0;
    }
    writer.write_rows(rows.data() + start, rows.size() - start);
    return writer.finish();
}

// The message of the corrupt_artefact error that fn gives.
template <typename Fn>
std::string corrupt_error(Fn fn) {
    try {
        fn();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::corrupt_artefact) << e.message();
        return e.message();
    }
    ADD_FAILURE() << "no error";
    return {};
}

}  // namespace

TEST(ChunkWriter, RollsAtRowBoundariesAndCountsAddUp) {
    test::TempStore temp;
    const std::string rows = make_rows(1000);
    const std::uint64_t limit = 200;
    auto chunks = write_in_pieces(temp.store(), rows, limit);
    ASSERT_GT(chunks.size(), 10u);

    std::uint64_t total_rows = 0, total_raw = 0;
    std::string joined;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const ChunkEntry& c = chunks[i];
        EXPECT_EQ(c.path, chunk_path("t0001", i + 1));
        auto stored = temp.store().stat(kDir + "/" + c.path);
        ASSERT_TRUE(stored) << c.path;
        EXPECT_EQ(stored->size, c.bytes);
        EXPECT_EQ(Sha256::of(temp.slurp(kDir + "/" + c.path)), c.sha256);

        std::string text = read_back(temp.store(), c);
        ASSERT_FALSE(text.empty());
        EXPECT_EQ(text.back(), '\n') << "chunk " << c.path << " splits a row";
        EXPECT_EQ(text.size(), c.raw_bytes);
        EXPECT_EQ(static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')), c.rows);
        // Full chunks reach the limit by at most one row; only the last may be short.
        if (i + 1 < chunks.size()) {
            EXPECT_GE(c.raw_bytes, limit);
        }
        EXPECT_LT(c.raw_bytes, limit + 64);
        total_rows += c.rows;
        total_raw += c.raw_bytes;
        joined += text;
    }
    EXPECT_EQ(total_rows, 1000u);
    EXPECT_EQ(total_raw, rows.size());
    EXPECT_TRUE(joined == rows);
}

TEST(ChunkWriter, ARowLongerThanTheLimitGoesWholeIntoOneChunk) {
    test::TempStore temp;
    std::string rows = "1\t" + std::string(1000, 'y') + "\n2\tz\n";
    ChunkWriter writer(temp.store(), kDir, "t0001", 10);
    writer.write_rows(rows.data(), rows.size());
    auto chunks = writer.finish();
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[0].rows, 1u);
    EXPECT_EQ(chunks[0].raw_bytes, 1003u);
    EXPECT_EQ(read_back(temp.store(), chunks[1]), "2\tz\n");
}

TEST(ChunkWriter, EmptyTableMakesNoChunks) {
    test::TempStore temp;
    ChunkWriter writer(temp.store(), kDir, "t0001", 100);
    writer.write_rows("", 0);
    EXPECT_TRUE(writer.finish().empty());
    EXPECT_TRUE(temp.store().list("").empty());
}

TEST(ChunkWriter, UnfinishedChunkIsDiscarded) {
    test::TempStore temp;
    {
        ChunkWriter writer(temp.store(), kDir, "t0001", 100);
        std::string rows = make_rows(20);  // more than one chunk
        writer.write_rows(rows.data(), rows.size());
    }
    auto left = temp.store().list("");
    ASSERT_FALSE(left.empty());  // full chunks were committed on roll ...
    for (const auto& o : left) EXPECT_NE(o.path, kDir + "/" + chunk_path("t0001", left.size() + 1));
    // ... the open one left nothing behind, not even a temporary file.
    for (const auto& e : std::filesystem::recursive_directory_iterator(temp.file(kDir + "/data/t0001")))
        EXPECT_EQ(e.path().string().find("dbclone-tmp"), std::string::npos) << e.path();
}

TEST(ChunkWriter, ARowCutBetweenWritesStaysInOneChunkAndMustEnd) {
    test::TempStore temp;
    {
        // The limit is reached inside row 1: the chunk still ends where the row does.
        ChunkWriter writer(temp.store(), kDir, "t0001", 3);
        writer.write_rows("1\tab", 4);
        writer.write_rows("cd", 2);
        writer.write_rows("e\n2\tx\n", 6);
        auto chunks = writer.finish();
        ASSERT_EQ(chunks.size(), 2u);
        EXPECT_EQ(chunks[0].rows, 1u);
        EXPECT_EQ(chunks[0].raw_bytes, 8u);  // "1\tabcde\n"
        EXPECT_EQ(chunks[1].rows, 1u);
    }
    ChunkWriter cut(temp.store(), kDir, "t0002", 100);
    cut.write_rows("1\tx", 3);
    EXPECT_THROW(cut.finish(), Error);
}

TEST(ChunkReader, FlippedByteIsReportedNamingTheChunk) {
    test::TempStore temp;
    std::string rows = make_rows(500);
    auto chunks = write_in_pieces(temp.store(), rows, 1 << 20);
    ASSERT_EQ(chunks.size(), 1u);
    const std::string file = kDir + "/" + chunks[0].path;
    std::string bytes = temp.slurp(file);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
    temp.overwrite(file, bytes);

    std::string msg = corrupt_error([&] { read_back(temp.store(), chunks[0]); });
    EXPECT_NE(
        msg.find("chunk " + chunks[0].path + " checksum mismatch: expected " + chunks[0].sha256 + ", found "),
        std::string::npos)
        << msg;
    msg = corrupt_error([&] { verify_chunk(temp.store(), kDir, chunks[0]); });
    EXPECT_NE(msg.find("chunk " + chunks[0].path + " checksum mismatch"), std::string::npos) << msg;
}

TEST(ChunkReader, TruncatedChunkIsReportedNamingTheChunk) {
    test::TempStore temp;
    auto chunks = write_in_pieces(temp.store(), make_rows(500), 1 << 20);
    std::filesystem::resize_file(temp.file(kDir + "/" + chunks[0].path), chunks[0].bytes - 10);
    for (auto check : {+[](Store&s, const ChunkEntry&c) { read_back(s, c); },
                       +[](Store&s, const ChunkEntry&c) { verify_chunk(s, kDir, c); }}) {
        std::string msg = corrupt_error([&] { check(temp.store(), chunks[0]); });
        EXPECT_NE(msg.find("chunk " + chunks[0].path), std::string::npos) << msg;
        EXPECT_NE(msg.find("size mismatch"), std::string::npos) << msg;
    }
}

TEST(ChunkReader, MissingChunkIsCorrupt) {
    test::TempStore temp;
    auto chunks = write_in_pieces(temp.store(), make_rows(10), 1 << 20);
    temp.store().remove(kDir + "/" + chunks[0].path);
    std::string msg = corrupt_error([&] { read_back(temp.store(), chunks[0]); });
    EXPECT_NE(msg.find(chunks[0].path), std::string::npos) << msg;
}

TEST(ChunkReader, VerifyReturnsTheDigestAndRowCountsAreChecked) {
    test::TempStore temp;
    auto chunks = write_in_pieces(temp.store(), make_rows(10), 1 << 20);
    EXPECT_EQ(verify_chunk(temp.store(), kDir, chunks[0]), chunks[0].sha256);
    ChunkEntry wrong = chunks[0];
    wrong.rows += 1;
    std::string msg = corrupt_error([&] { read_back(temp.store(), wrong); });
    EXPECT_NE(msg.find(wrong.path), std::string::npos) << msg;
}

}  // namespace dbclone::dumpset
