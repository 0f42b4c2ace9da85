// A full disk while writing a dump set: exit 8 (local I/O), a message that
// says so, and no dump set that looks complete (the manifest comes last).
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitIo = 8;

// A small tmpfs mounted for the test's lifetime; needs root (CAP_SYS_ADMIN).
class SmallFileSystem {
public:
    explicit SmallFileSystem(const std::filesystem::path& dir) : dir_(dir) {
        mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=4m") == 0;
    }
    ~SmallFileSystem() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    SmallFileSystem(const SmallFileSystem&) = delete;
    SmallFileSystem& operator=(const SmallFileSystem&) = delete;
    bool mounted() const { return mounted_; }

private:
    std::filesystem::path dir_;
    bool mounted_ = false;
};

TEST(FullDisk, ExportIntoAFullFileSystemExits8WithoutAManifest) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    // About 20 MiB of random hex: even compressed it cannot fit in 4 MiB.
    Harness::run_sql_as_app(h.source(), kSourceDb, R"sql(
        CREATE SCHEMA IF NOT EXISTS fulldisk;
        CREATE TABLE IF NOT EXISTS fulldisk.noise AS
        SELECT g AS id, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 32) i) AS hex
        FROM generate_series(1, 20000) g;
    )sql");
    auto store = h.new_dir("store-full-disk");
    SmallFileSystem fs(store);
    if (!fs.mounted())
        GTEST_SKIP() << "cannot mount a 4 MiB tmpfs on " << store
                     << " (needs root): " << std::strerror(errno);
    auto r = run_dbclone({"export", h.source_conninfo(), "--schema", "fulldisk", "--store", file_url(store)});
    EXPECT_EQ(r.exit_code, kExitIo) << describe(r);
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << describe(r);
    EXPECT_TRUE(find_files(store, "manifest").empty()) << "a manifest makes a partial dump set look complete";
}

}  // namespace
}  // namespace dbclone::test
