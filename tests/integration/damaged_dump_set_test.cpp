// A damaged dump set is refused with exit 7 (docs/EXIT_CODES.md) naming what
// is wrong, before the target is touched: a flipped byte, a truncated or
// deleted chunk, an edited manifest or ddl.json; the target database holds
// exactly what it held before (no staging schema, no table). With
// --check-chunks-while-loading (each chunk read once, checked as it streams
// into COPY) a chunk whose bytes were changed (a flipped byte, an edited
// digest or row count in the manifest) is found while it loads, and nothing
// of its table is committed: the target schema does not exist, the staging
// schema is marked incomplete, the damaged table is empty, and the run
// resumes once the dump set is repaired. And a chunk that
// committed without being journaled (the process killed in between) is not
// loaded twice by --resume.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
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

    // The table a chunk belongs to ("data/<key>/..."), by its manifest entry.
    std::string table_of(const std::filesystem::path& chunk) const {
        const auto key = chunk.parent_path().filename().string();
        const auto m = manifest();
        for (const auto& t : m["tables"])
            if (t["key"] == key) return t["name"];
        ADD_FAILURE() << "no table with key " << key << " in the manifest";
        return {};
    }

    // A table's chunk files, in order.
    std::vector<std::filesystem::path> chunks_of_largest_table() const {
        std::vector<std::filesystem::path> best;
        const auto m = manifest();
        for (const auto& t : m["tables"]) {
            if (t["chunks"].size() <= best.size()) continue;
            best.clear();
            for (const auto& c : t["chunks"]) best.push_back(set_dir_ / c["path"].get<std::string>());
        }
        return best;
    }

    // Imports the damaged set into a new database with two jobs (a table of
    // several chunks loads them in parallel): exit 7, the error names
    // `named`, the target schema does not exist, the staging schema is marked
    // incomplete and `damaged_table` holds no row in it. Then `repair()` and
    // --resume finish the copy.
    void expect_refused_then_resumed(const std::string& named, const std::string& damaged_table,
                                     const std::function<void()>& repair) {
        auto& h = Harness::get();
        auto db = h.new_target_db("damaged_load");
        std::vector<std::string> args{"import",
                                      h.target_conninfo(db),
                                      "--store",
                                      file_url(store_),
                                      "--remap-schema",
                                      std::string(kDemo) + ":shop_damaged",
                                      "--jobs",
                                      "2",
                                      "--check-chunks-while-loading"};
        // Every multi-chunk table loads chunk by chunk in parallel, as the
        // critical-path table of a real import does (data/table_parts.h).
        const EnvChanges parallel_chunks{{"DBCLONE_TEST_MIN_PART_BYTES", "4096"}};
        auto im = run_dbclone(args, parallel_chunks);
        EXPECT_EQ(im.exit_code, kExitCorrupt) << describe(im);
        EXPECT_NE(im.err.find(named), std::string::npos) << "the error must name " << named << describe(im);
        auto& target = h.target();
        EXPECT_EQ(target.query_value(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'shop_damaged'"),
                  "0")
            << "the target schema exists after a failed import";
        const auto staging =
            target.query_value(db,
                               "SELECT coalesce(string_agg(nspname, ','), '') FROM pg_namespace "
                               "WHERE nspname LIKE 'dbclone\\_incomplete\\_%'");
        ASSERT_FALSE(staging.empty()) << "the failed load left no staging schema" << describe(im);
        EXPECT_NE(
            target.query_value(db, "SELECT obj_description('" + staging + "'::regnamespace, 'pg_namespace')")
                .find("incomplete"),
            std::string::npos);
        EXPECT_EQ(target.query_value(db, "SELECT count(*) FROM " + staging + "." + damaged_table), "0")
            << "rows of the damaged table " << damaged_table << " stayed committed";
        repair();
        args.insert(args.begin(), "--resume");
        auto resumed = run_dbclone(args, parallel_chunks);
        ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
        expect_same_schema(h.source(), kSourceDb, kDemo, target, db, "shop_damaged");
    }

    void restore(const std::filesystem::path& file) const {
        std::filesystem::copy_file(*pristine_ / std::filesystem::relative(file, store_), file,
                                   std::filesystem::copy_options::overwrite_existing);
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

// A byte flipped in the middle of a middle chunk of the table with the most
// chunks: the chunks before it may have loaded in parallel already, none of
// them stays committed.
TEST_F(DamagedDumpSet, FlippedByteInTheMiddleOfAMultiChunkTable) {
    auto chunks = chunks_of_largest_table();
    ASSERT_GE(chunks.size(), 3u) << "the demo export with 4KiB chunks should have a table of several chunks";
    auto chunk = chunks[chunks.size() / 2];
    std::string bytes = read_file(chunk);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5A);
    write(chunk, bytes);
    expect_refused_untouched(relative(chunk));
    expect_refused_then_resumed(relative(chunk) + " checksum mismatch", table_of(chunk),
                                [&] { restore(chunk); });
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
    const auto chunk = set_dir_ / (*edited)["chunks"][0]["path"].get<std::string>();
    expect_refused_untouched(relative(chunk));
    expect_refused_then_resumed(relative(chunk), table_of(chunk),
                                [&] { restore(set_dir_ / "manifest.json"); });
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
    const auto file = set_dir_ / chunk["path"].get<std::string>();
    expect_refused_untouched(relative(file));
    expect_refused_then_resumed(relative(file) + " checksum mismatch", table_of(file),
                                [&] { restore(set_dir_ / "manifest.json"); });
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
    // Chunk by chunk in parallel, as an import's critical-path table loads.
    auto killed = run_dbclone(
        args, {{"DBCLONE_FAULT", "import:chunk-committed@2"}, {"DBCLONE_TEST_MIN_PART_BYTES", "4096"}});
    ASSERT_EQ(killed.exit_code, kKilled)
        << "the demo export with 4KiB chunks should have a table of several chunks" << describe(killed);
    auto resume = args;
    resume.insert(resume.begin(), "--resume");
    auto resumed = run_dbclone(resume, {{"DBCLONE_TEST_MIN_PART_BYTES", "4096"}});
    ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
    EXPECT_EQ(table_checksums(h.target(), db, "shop_resumed"), table_checksums(h.source(), kSourceDb, kDemo));
}

}  // namespace
}  // namespace dbclone::test
