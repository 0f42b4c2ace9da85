#include "engine/postgres/verify/checksums.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/row_checksum.h"
#include "core/worker_pool.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"

namespace dbclone::pg {

std::uint64_t table_part_bytes(const TableData& table, std::size_t jobs) {
    // At least 64 MiB, so small tables stay whole (one COPY, and COPY FREEZE on load).
    constexpr std::uint64_t kMinPart = 64ull << 20;
    return std::max<std::uint64_t>(kMinPart, table.size_bytes / (std::max<std::size_t>(jobs, 1) * 4));
}

std::map<std::string, TableCopyResult> checksum_tables(const std::vector<TableData>& tables,
                                                       const ChecksumSide& side, std::size_t jobs) {
    // Cutting needs TID range scans (PostgreSQL 14+), else each part would read the whole table.
    const bool can_cut = jobs > 1 && side.probe && side.probe->server_version() >= 140000;
    const std::uint64_t block_size =
        can_cut ? std::stoull(side.probe->query("SHOW block_size").get(0, 0)) : 0;
    WorkerConnections conns(jobs, side.open);
    std::mutex mutex;
    std::map<std::string, RowChecksum> sums;
    std::vector<std::pair<std::uint64_t, Job>> work;
    for (const auto& table : tables) {
        sums[table.name];
        std::vector<BlockRange> ranges{BlockRange{}};
        if (can_cut && !table.columns.empty())
            ranges = block_ranges(table.size_bytes, table_part_bytes(table, jobs), block_size);
        for (const auto& range : ranges) {
            const bool whole = ranges.size() == 1;
            std::uint64_t bytes = whole       ? table.size_bytes
                                  : range.end ? (range.end - range.first) * block_size
                                              : 0;
            work.emplace_back(bytes, [&, tp = &table, range, whole](std::size_t worker) {
                RowChecksum part;
                with_context(fmt::format("checksumming {} table {}", side.label, quote_ident(tp->name)), [&] {
                    auto& conn = conns.get(worker);
                    if (whole) {
                        part = checksum_table(conn, side.schema, *tp);
                        return;
                    }
                    conn.copy_out(copy_out_sql(side.schema, *tp, &range),
                                  [&](const char* row, std::size_t n) {
                                      part.add_row(row, n);
                                      if ((part.rows() & kInterruptCheckRows) == 0) check_interrupted();
                                  });
                });
                std::lock_guard lock(mutex);
                sums[tp->name].merge(part);
            });
        }
    }
    std::stable_sort(work.begin(), work.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<Job> ordered;
    for (auto& [bytes, job] : work) ordered.push_back(std::move(job));
    run_jobs(jobs, std::move(ordered));
    std::map<std::string, TableCopyResult> out;
    for (const auto& [name, sum] : sums) out[name] = {sum.rows(), sum.hex()};
    return out;
}

}  // namespace dbclone::pg
