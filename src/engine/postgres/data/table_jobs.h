// Scheduling the row work of a run: every table is one or more parts (a part
// is a chunk of a dump set, or a block range of a source table). A table of
// one part loads in one transaction; a table of several parts is emptied
// once, then its parts load in parallel, each in its own transaction and
// journaled on its own, so a big table keeps every worker busy and a resumed
// run keeps the parts it committed. Largest parts start first.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/journal.h"
#include "core/progress.h"
#include "core/row_checksum.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

struct TableWork {
    const TableData* table = nullptr;
    std::vector<std::uint64_t> part_bytes;  // one entry per part; empty = nothing to load
    // Runs once before the parts of a table with several parts (TRUNCATE);
    // may be empty. Journaled as "emptied:<key>".
    std::function<void(std::size_t worker)> before_parts;
    // Loads one part; a table with one part does its own emptying inside.
    std::function<RowChecksum(std::size_t worker, std::size_t part)> load_part;
    // Checks the whole table once every part is in (throws on a mismatch).
    std::function<void(const RowChecksum& total)> check_total;
    // Added to each part's journal record (a clone: the xmin of the snapshot
    // the part was read in, data/kept_parts.h).
    nlohmann::json part_note = nlohmann::json::object();
};

// Called by the worker that finished a table (all its parts in and
// journaled), while other workers still copy: the table's own index and key
// builds start as soon as its rows are in, not after the last table.
using TableLoaded = std::function<void(std::size_t worker, const TableData& table)>;

// Journal keys: "table:<key>" (rows, checksum) when a table is done,
// "part:<key>:<i>" for each finished part of a table with several parts.
void run_table_work(PgRun& run, Journal& journal, Progress& progress, std::vector<TableWork> work,
                    const TableLoaded& table_loaded = {});

// The tables already journaled as done are put into run.copied; returns
// whether `table` still needs work.
bool table_needs_work(PgRun& run, Journal& journal, const TableData& table);

}  // namespace dbclone::pg
