#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "core/error.h"
#include "store/filter/zstd_stream.h"
#include "temp_store.h"

namespace dbclone {

namespace {

constexpr std::size_t kTenMiB = 10 * 1024 * 1024;

std::string random_bytes(std::size_t n) {
    std::mt19937_64 rng(42);
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; i += 8) {
        std::uint64_t v = rng();
        for (std::size_t k = 0; k < 8 && i + k < n; ++k) out[i + k] = static_cast<char>(v >> (8 * k));
    }
    return out;
}

std::string compressible_bytes(std::size_t n) {
    std::string out;
    out.reserve(n + 64);
    for (std::uint64_t i = 0; out.size() < n; ++i)
        out += std::to_string(i % 1000) + "\tsome repeated text\t\\N\n";
    out.resize(n);
    return out;
}

// Writes `data` compressed in uneven pieces; returns the stored size.
std::uint64_t write_compressed(test::TempStore& temp, const std::string& path, const std::string& data,
                               ZstdOptions options = {}) {
    auto file = temp.store().open_write(path);
    ZstdWriter zstd(*file, options);
    std::size_t piece = 1;
    for (std::size_t pos = 0; pos < data.size(); pos += piece, piece = piece * 3 % 100003 + 1)
        zstd.write(data.data() + pos, std::min(piece, data.size() - pos));
    zstd.commit();
    return temp.store().stat(path)->size;
}

std::string read_decompressed(test::TempStore& temp, const std::string& path, std::size_t piece = 65536) {
    auto file = temp.store().open_read(path);
    ZstdReader unzstd(*file, path);
    std::string out;
    std::string buffer(piece, '\0');
    for (std::size_t n; (n = unzstd.read(buffer.data(), buffer.size())) > 0;) out.append(buffer.data(), n);
    return out;
}

}  // namespace

TEST(Zstd, RoundTripsTenMiBOfRandomBytes) {
    test::TempStore temp;
    std::string data = random_bytes(kTenMiB);
    std::uint64_t stored = write_compressed(temp, "random.zst", data);
    EXPECT_GT(stored, kTenMiB);  // incompressible: only frame overhead added
    EXPECT_LT(stored, kTenMiB + kTenMiB / 100);
    EXPECT_TRUE(read_decompressed(temp, "random.zst") == data);
    EXPECT_TRUE(read_decompressed(temp, "random.zst", 4093) == data);  // odd read sizes
}

TEST(Zstd, RoundTripsTenMiBOfCompressibleText) {
    test::TempStore temp;
    std::string data = compressible_bytes(kTenMiB);
    std::uint64_t stored = write_compressed(temp, "text.zst", data, ZstdOptions{1, 0});
    EXPECT_LT(stored, kTenMiB / 20);
    EXPECT_TRUE(read_decompressed(temp, "text.zst") == data);
}

TEST(Zstd, EmptyInputMakesAValidEmptyFrame) {
    test::TempStore temp;
    EXPECT_GT(write_compressed(temp, "empty.zst", ""), 0u);
    EXPECT_EQ(read_decompressed(temp, "empty.zst"), "");
}

TEST(Zstd, TruncatedFrameIsCorrupt) {
    test::TempStore temp;
    std::string data = compressible_bytes(1 << 20);
    std::uint64_t stored = write_compressed(temp, "t.zst", data);
    std::filesystem::resize_file(temp.file("t.zst"), stored - 5);
    try {
        read_decompressed(temp, "t.zst");
        FAIL() << "no error on a truncated frame";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::corrupt_artefact);
        EXPECT_NE(e.message().find("t.zst"), std::string::npos) << e.message();
    }
}

TEST(Zstd, EmptyObjectAndGarbageAreCorrupt) {
    test::TempStore temp;
    temp.overwrite("zero.zst", "");
    temp.overwrite("garbage.zst", "this is not zstd at all");
    for (const char* name : {"zero.zst", "garbage.zst"}) {
        try {
            read_decompressed(temp, name);
            FAIL() << "no error for " << name;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::corrupt_artefact);
            EXPECT_NE(e.message().find(name), std::string::npos) << e.message();
        }
    }
}

TEST(Zstd, FlippedByteIsCaughtByTheFrameChecksum) {
    test::TempStore temp;
    write_compressed(temp, "f.zst", compressible_bytes(1 << 20));
    std::string bytes = temp.slurp("f.zst");
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    temp.overwrite("f.zst", bytes);
    EXPECT_THROW(read_decompressed(temp, "f.zst"), Error);
}

TEST(Zstd, RejectsAnOutOfRangeLevel) {
    test::TempStore temp;
    auto file = temp.store().open_write("x");
    try {
        ZstdWriter zstd(*file, ZstdOptions{1000, 0});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
    }
}

}  // namespace dbclone
