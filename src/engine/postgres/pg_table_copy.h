// Moving and hashing table rows with COPY (text format: exact for every
// built-in type and portable across server versions).
#pragma once

#include <functional>
#include <string>

#include "core/journal.h"
#include "core/progress.h"
#include "engine/postgres/pg_run.h"

namespace dbclone::pg {

// Row loops look for a signal every this many rows (+1).
inline constexpr std::uint64_t kInterruptCheckRows = 0xFFFF;

std::string copy_out_sql(const std::string& schema, const TableData& table);
std::string copy_in_sql(const std::string& schema, const TableData& table, bool freeze);

// One table from source to target in a single target transaction; the
// target table is emptied first when `truncate_first` (a fresh staging table,
// or a resumed one that may hold a partial load).
TableCopyResult stream_table(Connection& source, Connection& target, const std::string& source_schema,
                             const std::string& target_schema, const TableData& table, bool truncate_first);

// Row count and content checksum of a table as COPY text.
TableCopyResult checksum_table(Connection& conn, const std::string& schema, const TableData& table);

// Runs `per_table` for every table of the catalog not yet journaled as
// done, largest first, on request.jobs workers. `per_table` gets the worker
// index; finished tables are journaled as "table:<key>" with rows and checksum.
void for_each_table_parallel(
    PgRun& run, Journal& journal, Progress& progress,
    const std::function<TableCopyResult(std::size_t worker, const TableData&)>& per_table);

}  // namespace dbclone::pg
