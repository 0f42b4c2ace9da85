#include "engine/postgres/pg_table_copy.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/row_checksum.h"
#include "core/worker_pool.h"
#include "engine/postgres/pg_quote.h"

namespace dbclone::pg {

namespace {
std::string column_list(const TableData& table) {
    std::string out;
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        out += (i ? ", " : "") + quote_ident(table.columns[i]);
    return out;
}
}  // namespace

std::string copy_out_sql(const std::string& schema, const TableData& table) {
    // A table with no copyable columns (all generated, or none) still has rows.
    if (table.columns.empty())
        return fmt::format("COPY (SELECT FROM ONLY {}) TO STDOUT", qualify(schema, table.name));
    return fmt::format("COPY {} ({}) TO STDOUT", qualify(schema, table.name), column_list(table));
}

std::string copy_in_sql(const std::string& schema, const TableData& table, bool freeze) {
    return fmt::format("COPY {} ({}) FROM STDIN{}", qualify(schema, table.name), column_list(table),
                       freeze ? " WITH (FREEZE)" : "");
}

TableCopyResult stream_table(Connection& source, Connection& target, const std::string& source_schema,
                             const std::string& target_schema, const TableData& table, bool truncate_first) {
    if (table.columns.empty()) {
        // COPY FROM needs a column; rows of a column-less table are just a count.
        auto n = source.query(fmt::format("SELECT count(*) FROM ONLY {}", qualify(source_schema, table.name)))
                     .get(0, 0);
        target.exec("BEGIN");
        if (truncate_first) target.exec("TRUNCATE ONLY " + qualify(target_schema, table.name));
        target.exec(fmt::format("INSERT INTO {} SELECT FROM generate_series(1, {})",
                                qualify(target_schema, table.name), n));
        target.exec("COMMIT");
        RowChecksum none;
        return {std::stoull(n), none.hex()};
    }
    RowChecksum checksum;
    target.exec("BEGIN");
    try {
        // TRUNCATE in the same transaction lets COPY FREEZE write frozen rows
        // (no later anti-wraparound vacuum of the whole copy).
        if (truncate_first) target.exec("TRUNCATE ONLY " + qualify(target_schema, table.name));
        std::uint64_t loaded =
            target.copy_in(copy_in_sql(target_schema, table, truncate_first), [&](Connection::CopyIn& in) {
                source.copy_out(copy_out_sql(source_schema, table), [&](const char* row, std::size_t n) {
                    checksum.add_row(row, n);
                    in.put(row, n);
                    // A signal stops a big table mid-stream; its transaction rolls back.
                    if ((checksum.rows() & kInterruptCheckRows) == 0) check_interrupted();
                });
            });
        if (loaded != checksum.rows())
            throw Error(ErrorKind::internal,
                        fmt::format("target loaded {} rows but source sent {}", loaded, checksum.rows()));
        target.exec("COMMIT");
    } catch (...) {
        try {
            target.exec("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    return {checksum.rows(), checksum.hex()};
}

TableCopyResult checksum_table(Connection& conn, const std::string& schema, const TableData& table) {
    if (table.columns.empty()) {
        auto n =
            conn.query(fmt::format("SELECT count(*) FROM ONLY {}", qualify(schema, table.name))).get(0, 0);
        return {std::stoull(n), RowChecksum().hex()};
    }
    RowChecksum checksum;
    conn.copy_out(copy_out_sql(schema, table), [&](const char* row, std::size_t n) {
        checksum.add_row(row, n);
        if ((checksum.rows() & kInterruptCheckRows) == 0) check_interrupted();
    });
    return {checksum.rows(), checksum.hex()};
}

void for_each_table_parallel(PgRun& run, Journal& journal, Progress& progress,
                             const std::function<TableCopyResult(std::size_t, const TableData&)>& per_table) {
    std::vector<const TableData*> todo;
    for (const auto& t : run.catalog.tables) {
        if (auto done = journal.done_detail("table:" + t.key)) {
            std::lock_guard lock(run.mutex);
            run.copied[t.key] = {done->value("rows", 0ULL), done->value("checksum", "")};
            continue;
        }
        todo.push_back(&t);
    }
    // Largest first: the longest job starts at once and the small ones fill in.
    std::stable_sort(todo.begin(), todo.end(),
                     [](auto* a, auto* b) { return a->size_bytes > b->size_bytes; });
    std::vector<Job> jobs;
    for (const auto* t : todo) {
        jobs.push_back([&, t](std::size_t worker) {
            auto result =
                with_context("copying table " + quote_ident(t->name), [&] { return per_table(worker, *t); });
            {
                std::lock_guard lock(run.mutex);
                run.copied[t->key] = result;
            }
            journal.mark_done("table:" + t->key, {{"rows", result.rows}, {"checksum", result.checksum}});
            progress.item_finished(t->name, result.rows, t->size_bytes);
        });
    }
    run_jobs(run.request.jobs, std::move(jobs));
}

}  // namespace dbclone::pg
