#include "engine/postgres/data/table_jobs.h"

#include <fmt/format.h>

#include <memory>
#include <mutex>

#include "core/error.h"
#include "core/fault.h"
#include "core/worker_pool.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

struct TableState {
    TableWork work;
    std::mutex mutex;
    std::size_t remaining = 0;
    RowChecksum loaded;
};

void finish_table(PgRun& run, TableState& state, Journal& journal, Progress& progress, std::size_t worker,
                  const TableLoaded& table_loaded) {
    const auto& table = *state.work.table;
    if (state.work.check_total) state.work.check_total(state.loaded);
    TableCopyResult result{state.loaded.rows(), state.loaded.hex()};
    {
        std::lock_guard lock(run.mutex);
        run.copied[table.key] = result;
    }
    journal.mark_done("table:" + table.key, {{"rows", result.rows}, {"checksum", result.checksum}});
    // A table is journaled, others may remain: a resume mixes snapshots here.
    fault_point("table-work:after-done");
    progress.item_finished(table.name, result.rows, table.size_bytes);
    if (table_loaded) table_loaded(worker, table);
}

}  // namespace

bool table_needs_work(PgRun& run, Journal& journal, const TableData& table) {
    auto done = journal.done_detail("table:" + table.key);
    if (!done) return true;
    std::lock_guard lock(run.mutex);
    run.copied[table.key] = {done->value("rows", std::uint64_t{0}), done->value("checksum", std::string())};
    return false;
}

void run_table_work(PgRun& run, Journal& journal, Progress& progress, std::vector<TableWork> work,
                    const TableLoaded& table_loaded) {
    std::vector<std::unique_ptr<TableState>> states;
    std::vector<SizedJob> jobs;
    for (auto& w : work) {
        auto state = std::make_unique<TableState>();
        state->work = std::move(w);
        auto* st = state.get();
        const auto& table = *st->work.table;
        const auto label = quote_ident(table.name);
        const std::size_t parts = st->work.part_bytes.size();
        if (parts <= 1) {
            std::uint64_t bytes = parts ? st->work.part_bytes[0] : 0;
            jobs.push_back(
                {bytes, [&run, &journal, &progress, &table_loaded, st, parts, label](std::size_t worker) {
                     with_context("copying table " + label, [&] {
                         if (parts) st->loaded = st->work.load_part(worker, 0);
                         finish_table(run, *st, journal, progress, worker, table_loaded);
                     });
                 }});
            states.push_back(std::move(state));
            continue;
        }
        if (st->work.before_parts && !journal.done("emptied:" + table.key)) {
            with_context("emptying table " + label, [&] { st->work.before_parts(0); });
            journal.mark_done("emptied:" + table.key);
        }
        for (std::size_t i = 0; i < parts; ++i) {
            const auto key = fmt::format("part:{}:{}", table.key, i);
            if (auto done = journal.done_detail(key)) {
                RowChecksum part;
                if (!RowChecksum::parse(done->value("rows", std::uint64_t{0}),
                                        done->value("checksum", std::string()), part))
                    throw Error(ErrorKind::internal, "journal entry " + key + " is damaged");
                st->loaded.merge(part);
                continue;
            }
            ++st->remaining;
            jobs.push_back({st->work.part_bytes[i], [&run, &journal, &progress, &table_loaded, st, i, key,
                                                     label](std::size_t worker) {
                                with_context(fmt::format("copying table {} (part {})", label, i + 1), [&] {
                                    auto part = st->work.load_part(worker, i);
                                    auto detail = st->work.part_note;
                                    detail["rows"] = part.rows();
                                    detail["checksum"] = part.hex();
                                    journal.mark_done(key, detail);
                                    // A part is journaled, others remain: a resume keeps it or not.
                                    fault_point("table-work:part-done");
                                    bool last = false;
                                    {
                                        std::lock_guard lock(st->mutex);
                                        st->loaded.merge(part);
                                        last = --st->remaining == 0;
                                    }
                                    if (last) finish_table(run, *st, journal, progress, worker, table_loaded);
                                });
                            }});
        }
        if (st->remaining == 0)
            with_context("copying table " + label,
                         [&] { finish_table(run, *st, journal, progress, 0, table_loaded); });
        states.push_back(std::move(state));
    }
    run_jobs_largest_first(run.request.jobs, std::move(jobs));
}

}  // namespace dbclone::pg
