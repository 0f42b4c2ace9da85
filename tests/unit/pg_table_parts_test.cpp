// When a table is loaded in block-range parts (losing COPY FREEZE) and when
// whole (data/table_parts.h).
#include <gtest/gtest.h>

#include "engine/postgres/data/table_parts.h"

namespace dbclone::pg {
namespace {

TableData sized(std::uint64_t bytes) {
    TableData t;  // only the size counts
    t.size_bytes = bytes;
    return t;
}

TEST(LoadingInParts, NeverWithOneJob) {
    EXPECT_FALSE(worth_loading_in_parts(sized(1000), 1000, 1, 0));
}

TEST(LoadingInParts, OnlyATableOverAnEvenShare) {
    // pgbench: accounts holds ~75% of the data; with 2 jobs it is the critical path.
    EXPECT_TRUE(worth_loading_in_parts(sized(750), 1000, 2, 0));
    EXPECT_FALSE(worth_loading_in_parts(sized(250), 1000, 2, 0));
    EXPECT_FALSE(worth_loading_in_parts(sized(500), 1000, 2, 0)) << "exactly an even share stays whole";
    // 16 jobs: over a sixteenth.
    EXPECT_TRUE(worth_loading_in_parts(sized(100), 1000, 16, 0));
    EXPECT_FALSE(worth_loading_in_parts(sized(50), 1000, 16, 0));
    // Many equal tables: none dominates, all stay whole (frozen).
    EXPECT_FALSE(worth_loading_in_parts(sized(1ull << 30), 40ull << 30, 16, 0));
}

TEST(LoadingInParts, NotWhereBothServersShareTwoCoresWithUs) {
    // Both servers here, on 2 cores: a table's load already keeps both busy.
    EXPECT_FALSE(worth_loading_in_parts(sized(750), 1000, 2, 2));
    EXPECT_FALSE(worth_loading_in_parts(sized(750), 1000, 4, 1));
    // More cores here, or the servers elsewhere (0: not known): the balance decides.
    EXPECT_TRUE(worth_loading_in_parts(sized(750), 1000, 2, 4));
    EXPECT_TRUE(worth_loading_in_parts(sized(750), 1000, 2, 0));
    EXPECT_FALSE(worth_loading_in_parts(sized(250), 1000, 2, 4));
}

TEST(LoadingInParts, HugeSizesDoNotOverflow) {
    const std::uint64_t big = ~std::uint64_t{0} / 2;
    EXPECT_TRUE(worth_loading_in_parts(sized(big), big, 4, 0));
    EXPECT_FALSE(worth_loading_in_parts(sized(1), big, 4, 0));
}

}  // namespace
}  // namespace dbclone::pg
