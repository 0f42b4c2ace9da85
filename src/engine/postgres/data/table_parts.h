// Cutting a table into parts of heap blocks, for every row reader that works
// in parallel (clone's copy, verify's checksums): one rule for when a table is
// worth cutting and how big a part is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/libpq/connection.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// How many bytes one part of a table should hold with `jobs` workers.
std::uint64_t table_part_bytes(const TableData& table, std::size_t jobs);

// Whether a table is worth loading in parts, `total_bytes` being every table
// the run loads. Parts load in transactions of their own, so the table loses
// COPY FREEZE: its rows are written unfrozen, the first scan after the load
// (the key build) sets hint bits on every page and writes the table a second
// time, and a later vacuum freezes it, with WAL (issue 13: pgbench scale 20,
// 2 jobs, 33,000 more pages written by backends and 6,300 more left for the
// checkpoint than with the table whole). That pays only for a table that is
// the copy's critical path, bigger than an even share of the work (total /
// jobs): there the parts kept both jobs busy and were not slower (median
// 11.7 s against 13.5 s whole, 3 alternating runs each, loaded machine).
// Where no table dominates, every table loads whole, frozen.
// Reading in parts (verification) has no such cost: TableCutter cuts freely.
bool worth_loading_in_parts(const TableData& table, std::uint64_t total_bytes, std::size_t jobs);

struct TablePart {
    BlockRange range;         // whole table when the table is one part
    std::uint64_t bytes = 0;  // estimated, for largest-first scheduling
};

class TableCutter {
public:
    // Cutting needs TID range scans (PostgreSQL 14+) and more than one job,
    // else every part would read the whole table. `probe` is any connection
    // to the server the rows are read from (asked for its block size).
    TableCutter(Connection& probe, std::size_t jobs);
    // A cutter that never cuts.
    TableCutter() = default;

    // One part (the whole table) or block ranges of about table_part_bytes.
    std::vector<TablePart> parts(const TableData& table) const;
    // Parts of given ranges (ranges a resumed run reads from its journal).
    std::vector<TablePart> parts(const std::vector<BlockRange>& ranges) const;

private:
    std::size_t jobs_ = 1;
    bool can_cut_ = false;
    std::uint64_t block_size_ = 0;
};

}  // namespace dbclone::pg
