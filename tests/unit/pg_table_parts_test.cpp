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

TEST(LoadingInParts, NeverWithTwoJobsOrFewer) {
    // pgbench: accounts holds ~75% of the data; with 2 jobs it still loads whole.
    for (std::size_t jobs : {1u, 2u}) {
        EXPECT_FALSE(worth_loading_in_parts(sized(750), 1000, jobs)) << jobs;
        EXPECT_FALSE(worth_loading_in_parts(sized(1000), 1000, jobs)) << jobs << ": the only table";
    }
}

TEST(LoadingInParts, OnlyATableOverTwiceAnEvenShare) {
    // 4 jobs: an even share is a quarter; a table over half the data is cut.
    EXPECT_TRUE(worth_loading_in_parts(sized(750), 1000, 4));
    EXPECT_FALSE(worth_loading_in_parts(sized(400), 1000, 4));
    // 16 jobs: over an eighth.
    EXPECT_TRUE(worth_loading_in_parts(sized(200), 1000, 16));
    EXPECT_FALSE(worth_loading_in_parts(sized(100), 1000, 16));
    // Many equal tables: none dominates.
    EXPECT_FALSE(worth_loading_in_parts(sized(1ull << 30), 40ull << 30, 16));
}

TEST(LoadingInParts, HugeSizesDoNotOverflow) {
    const std::uint64_t big = ~std::uint64_t{0} / 2;
    EXPECT_TRUE(worth_loading_in_parts(sized(big), big, 4));
    EXPECT_FALSE(worth_loading_in_parts(sized(1), big, 4));
}

}  // namespace
}  // namespace dbclone::pg
