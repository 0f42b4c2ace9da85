#include "engine/postgres/data/table_parts.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace dbclone::pg {

namespace {

// Test-only (like core/fault.h): DBCLONE_TEST_MIN_PART_BYTES=<n> cuts tables
// of a few kilobytes, so the kill and resume tests cover tables in parts
// without copying gigabytes; it also cuts with one job (parts then load one
// after the other, and a kill lands between two of them exactly).
std::uint64_t test_min_part_bytes() {
    const char* text = std::getenv("DBCLONE_TEST_MIN_PART_BYTES");
    return text ? std::strtoull(text, nullptr, 10) : 0;
}

}  // namespace

std::uint64_t table_part_bytes(const TableData& table, std::size_t jobs) {
    // At least 64 MiB, so small tables stay whole (one COPY, and COPY FREEZE on load).
    const std::uint64_t test_min = test_min_part_bytes();
    const std::uint64_t min_part = test_min ? test_min : 64ull << 20;
    return std::max<std::uint64_t>(min_part, table.size_bytes / (std::max<std::size_t>(jobs, 1) * 4));
}

bool worth_loading_in_parts(const TableData& table, std::uint64_t total_bytes, std::size_t jobs,
                            std::size_t shared_cores) {
    // The tests that cut small tables on purpose (kill and resume of parts)
    // ask for parts whatever the balance.
    if (test_min_part_bytes() > 0) return true;
    // One table's load keeps this many processes busy: the source's backend
    // and the target's.
    constexpr std::size_t kCoresOneLoadKeepsBusy = 2;
    if (shared_cores != 0 && shared_cores <= kCoresOneLoadKeepsBusy) return false;
    return jobs > 1 && table.size_bytes > total_bytes / jobs;
}

TableCutter::TableCutter(Connection& probe, std::size_t jobs)
    : jobs_(jobs), can_cut_((jobs > 1 || test_min_part_bytes() > 0) && probe.server_version() >= 140000) {
    if (can_cut_) block_size_ = std::stoull(probe.query("SHOW block_size").get(0, 0));
}

std::vector<TablePart> TableCutter::parts(const TableData& table) const {
    std::vector<BlockRange> ranges{BlockRange{}};
    if (can_cut_ && !table.columns.empty())
        ranges = block_ranges(table.size_bytes, table_part_bytes(table, jobs_), block_size_);
    if (ranges.size() == 1) return {TablePart{ranges[0], table.size_bytes}};
    return parts(ranges);
}

std::vector<TablePart> TableCutter::parts(const std::vector<BlockRange>& ranges) const {
    std::vector<TablePart> out;
    out.reserve(ranges.size());
    for (const auto& r : ranges) out.push_back({r, r.end ? (r.end - r.first) * block_size_ : 0});
    return out;
}

}  // namespace dbclone::pg
