// A damaged dump set is refused before the target is touched: a flipped byte,
// a truncated or deleted chunk, an edited manifest or ddl.json each stop the
// import with exit 7 (docs/EXIT_CODES.md) naming what is wrong, and the
// target database holds exactly what it held before (no staging schema, no
// table). And a chunk that committed without being journaled (the process
// killed in between) is not loaded twice by --resume.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitCorrupt = 7;
constexpr int kKilled = 128 + 9;

// One export of the demo schema cut into small chunks, shared by the tests;
// each test damages its own copy of it.
class DamagedDumpSet : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto& h = Harness::get();
        if (!h.fixture_error("demo").empty()) return;
        pristine_ = new std::filesystem::path(h.new_dir("store-damaged-pristine"));
        auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", kDemo, "--store",
                               file_url(*pristine_), "--chunk-size", "4KiB"});
        export_ok_ = ex.exit_code == 0;
        export_error_ = describe(ex);
    }
    static void TearDownTestSuite() {
        delete pristine_;
        pristine_ = nullptr;
    }

    void SetUp() override {
        DBCLONE_REQUIRE_FIXTURE("demo");
        ASSERT_TRUE(export_ok_) << export_error_;
        auto& h = Harness::get();
        store_ = h.new_dir("store-damaged");
        std::filesystem::copy(*pristine_, store_, std::filesystem::copy_options::recursive);
        auto manifests = find_files(store_, "manifest.json");
        ASSERT_EQ(manifests.size(), 1u);
        set_dir_ = manifests[0].parent_path();
    }

    // The chunk files, biggest last (the one a loader reaches late).
    std::vector<std::filesystem::path> chunks() const {
        auto out = find_files(set_dir_ / "data", ".copy.zst");
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return std::filesystem::file_size(a) < std::filesystem::file_size(b);
        });
        return out;
    }
    std::filesystem::path victim() const {
        auto all = chunks();
        EXPECT_FALSE(all.empty()) << "no chunks under " << set_dir_;
        return all.back();
    }
    // "data/<key>/<n>.copy.zst", as the manifest and the error name it.
    std::string relative(const std::filesystem::path& chunk) const {
        return std::filesystem::relative(chunk, set_dir_).string();
    }

    // Imports the damaged set into a new database: exit 7, the error names
    // `named`, and the database is as it was.
    void expect_refused_untouched(const std::string& named) {
        auto& h = Harness::get();
        auto db = h.new_target_db("damaged");
        const auto before = target_objects(db);
        auto im = run_dbclone({"import", h.target_conninfo(db), "--store", file_url(store_), "--remap-schema",
                               std::string(kDemo) + ":shop_damaged"});
        EXPECT_EQ(im.exit_code, kExitCorrupt) << describe(im);
        EXPECT_NE(im.err.find(named), std::string::npos) << "the error must name " << named << describe(im);
        EXPECT_EQ(target_objects(db), before) << "the target was touched" << describe(im);
    }

    nlohmann::json manifest() const { return nlohmann::json::parse(read_file(set_dir_ / "manifest.json")); }
    void write(const std::filesystem::path& file, const std::string& text) const {
        std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    }

    std::filesystem::path store_, set_dir_;
    static inline std::filesystem::path* pristine_ = nullptr;
    static inline bool export_ok_ = false;
    static inline std::string export_error_;
};

TEST_F(DamagedDumpSet, FlippedByteInAChunk) {
    auto chunk = victim();
    std::string bytes = read_file(chunk);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5A);
    write(chunk, bytes);
    expect_refused_untouched(relative(chunk));
}

TEST_F(DamagedDumpSet, TruncatedChunk) {
    auto chunk = victim();
    std::filesystem::resize_file(chunk, std::filesystem::file_size(chunk) / 2);
    expect_refused_untouched(relative(chunk));
}

TEST_F(DamagedDumpSet, DeletedChunk) {
    auto chunk = victim();
    std::filesystem::remove(chunk);
    expect_refused_untouched(relative(chunk));
}

// The manifest edited consistently with itself (a table's rows and its first
// chunk's rows raised by one): only the data itself can tell.
TEST_F(DamagedDumpSet, EditedManifestRowCount) {
    auto m = manifest();
    nlohmann::json* edited = nullptr;
    for (auto& t : m["tables"])
        if (!t["chunks"].empty() && (!edited || t["rows"] > (*edited)["rows"])) edited = &t;
    ASSERT_NE(edited, nullptr);
    (*edited)["rows"] = (*edited)["rows"].get<std::uint64_t>() + 1;
    (*edited)["chunks"][0]["rows"] = (*edited)["chunks"][0]["rows"].get<std::uint64_t>() + 1;
    write(set_dir_ / "manifest.json", m.dump(2));
    expect_refused_untouched((*edited)["chunks"][0]["path"].get<std::string>());
}

// A chunk's recorded digest changed (as someone swapping a chunk would).
TEST_F(DamagedDumpSet, EditedManifestChunkDigest) {
    auto m = manifest();
    nlohmann::json* table = nullptr;
    for (auto& t : m["tables"])
        if (!t["chunks"].empty()) table = &t;
    ASSERT_NE(table, nullptr);
    auto& chunk = (*table)["chunks"][0];
    std::string sha = chunk["sha256"];
    sha[0] = sha[0] == '0' ? '1' : '0';
    chunk["sha256"] = sha;
    write(set_dir_ / "manifest.json", m.dump(2));
    expect_refused_untouched(chunk["path"].get<std::string>());
}

TEST_F(DamagedDumpSet, EditedDdlJson) {
    auto ddl = set_dir_ / "ddl.json";
    std::string text = read_file(ddl);
    auto at = text.find("CREATE TABLE");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 12, "CREATE TABLE IF NOT EXISTS");
    write(ddl, text);
    expect_refused_untouched("ddl.json");
}

TEST_F(DamagedDumpSet, DeletedDdlJson) {
    std::filesystem::remove(set_dir_ / "ddl.json");
    expect_refused_untouched("ddl.json");
}

// Killed after a chunk's COMMIT and before its journal record: the resumed
// run finds the table holding rows its journal does not know, empties it and
// loads every chunk again, so no row is there twice.
TEST_F(DamagedDumpSet, ChunkCommittedButNotJournaledIsNotLoadedTwice) {
    auto& h = Harness::get();
    auto db = h.new_target_db("chunk_unjournaled");
    const std::vector<std::string> args = {"import",         h.target_conninfo(db),
                                           "--store",        file_url(store_),
                                           "--remap-schema", std::string(kDemo) + ":shop_resumed",
                                           "--jobs",         "2"};
    auto killed = run_dbclone(args, {{"DBCLONE_FAULT", "import:chunk-committed@2"}});
    ASSERT_EQ(killed.exit_code, kKilled)
        << "the demo export with 4KiB chunks should have a table of several chunks" << describe(killed);
    auto resume = args;
    resume.insert(resume.begin(), "--resume");
    auto resumed = run_dbclone(resume);
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_EQ(table_checksums(h.target(), db, "shop_resumed"), table_checksums(h.source(), kSourceDb, kDemo));
}

}  // namespace
}  // namespace dbclone::test
