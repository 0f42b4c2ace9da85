// The dump set on disk matches docs/dump-set.md and the source: layout,
// manifest row counts against the source, every chunk's size, SHA-256 and
// row count against the file itself, the chunk size honoured.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

std::string sha256_hex(const std::string& data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
    return hex;
}

std::string zstd_decompress(const std::string& in) {
    std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> ds(ZSTD_createDStream(), ZSTD_freeDStream);
    std::string out;
    std::vector<char> buf(ZSTD_DStreamOutSize());
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    while (src.pos < src.size) {
        ZSTD_outBuffer dst{buf.data(), buf.size(), 0};
        size_t rc = ZSTD_decompressStream(ds.get(), &dst, &src);
        if (ZSTD_isError(rc)) throw std::runtime_error(ZSTD_getErrorName(rc));
        out.append(buf.data(), dst.pos);
    }
    return out;
}

TEST(DumpSet, LayoutManifestAndChunksMatchTheSource) {
    DBCLONE_REQUIRE_FIXTURE("pagila");
    auto& h = Harness::get();
    auto store = h.new_dir("store-dumpset");
    constexpr size_t kChunk = 256 * 1024;
    auto r = run_dbclone({"export", h.source_conninfo(), "--schema", "public", "--store", file_url(store),
                          "--retention", "keep7", "--chunk-size", "256KiB"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);

    auto manifests = find_files(store, "manifest.json");
    ASSERT_EQ(manifests.size(), 1U) << describe(r);
    auto dir = manifests[0].parent_path();
    auto rel = std::filesystem::relative(dir, store).string();
    EXPECT_TRUE(std::regex_match(rel, std::regex(R"(keep7/src/schema/public/\d{8}T\d{6}Z)"))) << rel;
    EXPECT_NE(r.out.find(rel), std::string::npos) << "export prints the dump set path" << describe(r);
    EXPECT_TRUE(std::filesystem::exists(dir / "export.log"));

    auto m = nlohmann::json::parse(read_file(manifests[0]));
    EXPECT_EQ(m.at("format_version"), 1);
    EXPECT_EQ(m.at("database"), "src");
    EXPECT_EQ(m.at("schema"), "public");
    EXPECT_EQ(m.at("ddl_sha256").get<std::string>(),
              sha256_hex(read_file(dir / m.at("ddl_path").get<std::string>())));

    auto source_tables =
        h.source().query_value(kSourceDb,
                               "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                               "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'");
    std::vector<std::string> names;
    bool some_table_split = false;
    for (const auto& t : m.at("tables")) {
        const auto name = t.at("name").get<std::string>();
        names.push_back(name);
        auto rows = t.at("rows").get<long long>();
        EXPECT_EQ(std::to_string(rows), h.source().query_value(kSourceDb, "SELECT count(*) FROM ONLY " +
                                                                              pg::qualify("public", name)))
            << "manifest row count of " << name;
        long long chunk_rows = 0;
        if (t.at("chunks").size() > 1) some_table_split = true;
        for (const auto& c : t.at("chunks")) {
            auto file = dir / c.at("path").get<std::string>();
            ASSERT_TRUE(std::filesystem::exists(file)) << file;
            auto stored = read_file(file);
            EXPECT_EQ(stored.size(), c.at("bytes").get<size_t>()) << file;
            EXPECT_EQ(sha256_hex(stored), c.at("sha256").get<std::string>()) << file;
            auto raw = zstd_decompress(stored);
            EXPECT_EQ(raw.size(), c.at("raw_bytes").get<size_t>()) << file;
            EXPECT_EQ(static_cast<long long>(std::count(raw.begin(), raw.end(), '\n')),
                      c.at("rows").get<long long>())
                << "rows of " << file;
            chunk_rows += c.at("rows").get<long long>();
            // Split at row boundaries once a chunk reaches the size: at most one row over.
            EXPECT_LT(raw.size(), 2 * kChunk) << file;
        }
        EXPECT_EQ(chunk_rows, rows) << "chunks of " << name;
    }
    std::sort(names.begin(), names.end());
    std::string joined;
    for (const auto& n : names) joined += (joined.empty() ? "" : ",") + n;
    EXPECT_EQ(joined, source_tables) << "every table with rows in the source is in the manifest";
    EXPECT_TRUE(some_table_split) << "--chunk-size 256KiB should split pagila's larger tables";
}

}  // namespace
}  // namespace dbclone::test
