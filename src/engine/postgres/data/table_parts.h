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
// The parts must also find cores to run on. `shared_cores` is the number of
// cores the source and the target share with dbclone when both run on this
// machine (Connection::on_this_machine), 0 when that is not known. One
// table's load already keeps two processes busy, the source's backend
// reading and the target's writing, so on two shared cores parts only add
// work, and the table loads whole: a part is read with a TID range scan,
// which runs the rows through the source's shared buffers (a sequential
// scan uses a small ring of them), evicting what the source had cached, and
// each backend maps every buffer it touches. Issue 13, pgbench scale 50
// (accounts 640 MB of 955), 2 jobs, both servers on this 2-core machine,
// alternating: in parts 13.6 / 13.6 / 12.7 s, source CPU 6.0-6.6 s, target
// 14.5-15.4 s; whole 11.2 / 11.0 / 11.1 s, source 3.0 s, target 13.1 s;
// scale 165 (3.1 GB): 40.5 / 38.2 s against 35.8 / 35.3 s; 4 jobs at scale
// 50: 14.4 / 16.5 s against 13.0 / 13.2 s.
// Reading in parts (verification) writes nothing, so loses no freezing, and
// TableCutter cuts freely; its TID range scans pass through the shared
// buffers all the same.
bool worth_loading_in_parts(const TableData& table, std::uint64_t total_bytes, std::size_t jobs,
                            std::size_t shared_cores);

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
