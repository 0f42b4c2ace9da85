#include "engine/postgres/verify/checksums.h"

#include <fmt/format.h>

#include <mutex>

#include "core/error.h"
#include "core/row_checksum.h"
#include "core/worker_pool.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/data/table_parts.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"

namespace dbclone::pg {

std::map<std::string, TableCopyResult> checksum_tables(const std::vector<TableData>& tables,
                                                       const ChecksumSide& side, std::size_t jobs) {
    const TableCutter cutter = side.probe ? TableCutter(*side.probe, jobs) : TableCutter();
    WorkerConnections conns(jobs, [&] {
        auto c = side.open();
        copy_rows_relative_to(*c, side.schema);
        return c;
    });
    std::mutex mutex;
    std::map<std::string, RowChecksum> sums;
    std::vector<SizedJob> work;
    for (const auto& table : tables) {
        sums[table.name];
        const auto parts = cutter.parts(table);
        for (const auto& part : parts) {
            const bool whole = parts.size() == 1;
            work.push_back(
                {part.bytes, [&, tp = &table, range = part.range, whole](std::size_t worker) {
                     RowChecksum sum;
                     with_context(fmt::format("checksumming {} table {}", side.label, quote_ident(tp->name)),
                                  [&] {
                                      auto& conn = conns.get(worker);
                                      sum = whole ? checksum_table(conn, side.schema, *tp)
                                                  : copy_out_rows(conn, side.schema, *tp, &range);
                                  });
                     std::lock_guard lock(mutex);
                     sums[tp->name].merge(sum);
                 }});
        }
    }
    run_jobs_largest_first(jobs, std::move(work));
    std::map<std::string, TableCopyResult> out;
    for (const auto& [name, sum] : sums) out[name] = {sum.rows(), sum.hex()};
    return out;
}

}  // namespace dbclone::pg
