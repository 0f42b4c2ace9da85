// Moving and hashing table rows with COPY: text format (exact for every
// type and portable across server versions), or binary where the table's
// column types travel exactly that way (TableData::binary_copy).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/journal.h"
#include "core/progress.h"
#include "core/row_checksum.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// Row loops look for a signal every this many rows (+1).
inline constexpr std::uint64_t kInterruptCheckRows = 0xFFFF;

// A range of heap blocks [first, end) of a table; end 0 = to the end. COPY of
// a range is a TID range scan (PostgreSQL 14+), reading only those blocks.
struct BlockRange {
    std::uint64_t first = 0;
    std::uint64_t end = 0;
};

// " <joiner> ctid >= '(first,0)'::tid [AND ctid < '(end,0)'::tid]".
std::string block_range_condition(const BlockRange& range, const char* joiner);

// COPY TO STDOUT of the table's rows (in `range`; and, with `condition`,
// those for which it holds).
std::string copy_out_sql(const std::string& schema, const TableData& table, const BlockRange* range = nullptr,
                         const std::string& condition = {});

// Cuts a table of `table_bytes` into ranges of about `part_bytes`; the last
// range is open-ended, so rows in blocks added after the size was read are
// not missed. One range (the whole table) when it is not worth cutting.
std::vector<BlockRange> block_ranges(std::uint64_t table_bytes, std::uint64_t part_bytes,
                                     std::uint64_t block_size);

// The checksum of a table without copyable columns: COPY gives one empty
// line per row.
RowChecksum empty_rows_checksum(std::uint64_t rows);
std::string copy_in_sql(const std::string& schema, const TableData& table, bool freeze);

// One table from source to target in a single target transaction; the
// target table is emptied first when `truncate_first` (a fresh staging table,
// or a resumed one that may hold a partial load).
RowChecksum stream_table(Connection& source, Connection& target, const std::string& source_schema,
                         const std::string& target_schema, const TableData& table, bool truncate_first,
                         const BlockRange* range = nullptr);

// The one COPY TO STDOUT row loop: every row of the table (or of `range`)
// into the returned checksum and the stream COPY gives to on_data (may be
// empty), in pieces that need not end at a row: one message per row, or, for
// a table with large values, pieces of at most a few MiB
// (data/large_values.h). A signal stops it mid-stream. In binary
// (TableData::binary_copy) the checksum covers each row's tuple bytes.
RowChecksum copy_out_rows(Connection& conn, const std::string& schema, const TableData& table,
                          const BlockRange* range = nullptr,
                          const std::function<void(const char*, std::size_t)>& on_data = {});

// COPY BINARY as libpq hands it over: one CopyData message per row, the
// first one prefixed by the file header, the last one the trailer. row_of
// gives a message's row (its tuple bytes) or nothing for the trailer.
class BinaryCopyRows {
public:
    std::optional<std::string_view> row_of(const char* message, std::size_t n);
    bool ended() const { return ended_; }
    bool started() const { return header_seen_; }

private:
    bool header_seen_ = false;
    bool ended_ = false;
};

// Every session that copies or checksums rows runs with search_path = the
// schema it reads or loads, pg_catalog: object-identifier values (regclass,
// regproc, ...) naming that schema's objects then print unqualified on the
// source and are read back in the schema the target loads, so they name the
// copy's objects (catalog/reg_columns.cpp), and both sides' checksums of
// such rows agree. Through Connection::set: also behind a pooler.
void copy_rows_relative_to(Connection& conn, const std::string& schema);

// Row count and content checksum of a table as COPY text.
RowChecksum checksum_table(Connection& conn, const std::string& schema, const TableData& table);

}  // namespace dbclone::pg
