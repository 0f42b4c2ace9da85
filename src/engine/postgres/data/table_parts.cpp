#include "engine/postgres/data/table_parts.h"

#include <algorithm>
#include <string>

namespace dbclone::pg {

std::uint64_t table_part_bytes(const TableData& table, std::size_t jobs) {
    // At least 64 MiB, so small tables stay whole (one COPY, and COPY FREEZE on load).
    constexpr std::uint64_t kMinPart = 64ull << 20;
    return std::max<std::uint64_t>(kMinPart, table.size_bytes / (std::max<std::size_t>(jobs, 1) * 4));
}

bool worth_loading_in_parts(const TableData& table, std::uint64_t total_bytes, std::size_t jobs) {
    return jobs > 1 && table.size_bytes > total_bytes / jobs;
}

TableCutter::TableCutter(Connection& probe, std::size_t jobs)
    : jobs_(jobs), can_cut_(jobs > 1 && probe.server_version() >= 140000) {
    if (can_cut_) block_size_ = std::stoull(probe.query("SHOW block_size").get(0, 0));
}

std::vector<TablePart> TableCutter::parts(const TableData& table) const {
    std::vector<BlockRange> ranges{BlockRange{}};
    if (can_cut_ && !table.columns.empty())
        ranges = block_ranges(table.size_bytes, table_part_bytes(table, jobs_), block_size_);
    std::vector<TablePart> out;
    if (ranges.size() == 1) {
        out.push_back({ranges[0], table.size_bytes});
        return out;
    }
    for (const auto& r : ranges) out.push_back({r, r.end ? (r.end - r.first) * block_size_ : 0});
    return out;
}

}  // namespace dbclone::pg
