// `dbclone clone` for PostgreSQL: rows stream from the source's exported
// snapshot straight into the target (COPY out → COPY in, no files), one
// table per job, into a staging schema that is renamed into place at the end.
#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/fault.h"
#include "core/machine.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/commands/commands.h"
#include "engine/postgres/commands/load_steps.h"
#include "engine/postgres/commands/resume_source.h"
#include "engine/postgres/data/kept_parts.h"
#include "engine/postgres/data/snapshot.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/data/table_jobs.h"
#include "engine/postgres/data/table_parts.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/target/remap_entries.h"
#include "engine/postgres/target/target.h"
#include "engine/postgres/verify/checksums.h"

namespace dbclone::pg {

namespace {

void copy_all_tables(PgRun& run, Journal& journal, Progress& progress) {
    const auto& req = run.request;
    WorkerConnections sources(req.jobs, [&] { return connect_to_source_snapshot(run); });
    WorkerConnections targets(req.jobs, [&] {
        auto c = std::make_unique<Connection>(req.target, "target");
        prepare_load_session(run, *c);
        return c;
    });
    const TableCutter cutter(*run.source, req.jobs);
    // Cores the servers share with this process when both run here, else 0:
    // a table is cut into parts only where they find cores (table_parts.h).
    const std::size_t shared_cores =
        run.source->on_this_machine() && run.target->on_this_machine() ? cores_here() : 0;
    struct Planned {
        const TableData* table = nullptr;
        std::vector<TablePart> parts;
    };
    std::vector<Planned> planned;
    std::vector<ResumedTable> resumed;
    std::uint64_t total_bytes = 0;
    for (const auto& table : run.catalog.tables)
        if (table_receives_rows(run, table.name)) total_bytes += table.size_bytes;
    if (journal.resumed()) drop_early_foreign_keys(run, journal);
    std::vector<TableWork> work;
    for (const auto& table : run.catalog.tables) {
        if (!table_needs_work(run, journal, table)) continue;
        TableWork w;
        w.table = &table;
        if (!table_receives_rows(run, table.name)) {
            w.part_bytes = {table.size_bytes};
            w.load_part = [&, tp = &table](std::size_t worker, std::size_t) {
                return checksum_table(sources.get(worker), req.source_schema, *tp);
            };
            work.push_back(std::move(w));
            continue;
        }
        // A table emptied and loaded in one transaction (into existing tables:
        // readers see old rows or new rows) is never cut into parts, nor one
        // that would lose COPY FREEZE for little (worth_loading_in_parts). The
        // ranges of a table in parts hold for the whole run: a resumed run
        // may keep the parts an earlier attempt copied (data/kept_parts.h).
        const bool whole = table_loads_in_one_transaction(run, table.name) ||
                           !worth_loading_in_parts(table, total_bytes, req.jobs, shared_cores);
        auto parts = whole ? std::vector<TablePart>{TablePart{BlockRange{}, table.size_bytes}}
                           : pinned_parts(run, journal, cutter, table);
        // Emptied by an earlier attempt: its rows there are parts, journaled or not.
        if (parts.size() > 1 && journal.resumed() && journal.done("emptied:" + table.key))
            resumed.push_back({&table, parts});
        planned.push_back({&table, std::move(parts)});
    }
    if (!resumed.empty()) keep_proven_parts(run, journal, sources, targets.get(0), resumed);
    for (const auto& entry : planned) {
        const auto& table = *entry.table;
        const auto& parts = entry.parts;
        TableWork w;
        w.table = &table;
        const bool truncate_first = table_truncated_first(run, table.name);
        if (parts.size() == 1) {
            w.part_bytes = {parts[0].bytes};
            w.load_part = [&, tp = &table, truncate_first](std::size_t worker, std::size_t) {
                return stream_table(sources.get(worker), targets.get(worker), req.source_schema,
                                    run.load_schema, *tp, truncate_first);
            };
        } else {
            for (const auto& p : parts) w.part_bytes.push_back(p.bytes);
            // Emptied (in staging: a resumed run's partial rows) before any part arrives.
            w.before_parts = [&, tp = &table](std::size_t worker) {
                targets.get(worker).exec("TRUNCATE ONLY " + qualify(run.load_schema, tp->name));
            };
            if (!truncate_first) w.before_parts = nullptr;
            // What a resumed run needs to prove the part's rows unchanged.
            w.part_note = {{"xmin", run.snapshot_xmin}};
            w.load_part = [&, tp = &table, parts](std::size_t worker, std::size_t i) {
                auto copied = stream_table(sources.get(worker), targets.get(worker), req.source_schema,
                                           run.load_schema, *tp, false, &parts[i].range);
                // Committed on the target, not yet journaled: a resumed run
                // must not load this part twice (data/committed_parts.h).
                fault_point("clone:part-committed");
                return copied;
            };
        }
        work.push_back(std::move(w));
    }
    ReadBacks read_backs(run, req.jobs);
    run_table_work(run, journal, progress, std::move(work), [&](std::size_t worker, const TableData& table) {
        after_table_loaded(run, journal, targets.get(worker), worker, table, read_backs);
    });
    read_backs.finish();
}

// --allow-changed-source: what an earlier attempt built from the older
// catalog goes; only the run's own staging schema may be dropped for that.
void redo_clone_structure(PgRun& run, Journal& journal) {
    if (run.into_existing || run.maybe_finalized ||
        run.load_schema != staging_schema_name(run.request.target_schema))
        throw Error(ErrorKind::unsupported,
                    "the source changed and the interrupted run was loading into an existing schema",
                    "remove the journal " + journal.path().string() + " and run the command again");
    auto& t = *run.target;
    if (schema_exists(t, run.load_schema)) t.exec("DROP SCHEMA " + quote_ident(run.load_schema) + " CASCADE");
    journal.forget_prefix("");
}

}  // namespace

Plan build_clone_plan(const Request& request, RunResult& result) {
    auto run = std::make_shared<PgRun>(request, result);
    open_source_snapshot(*run, request.source, request.source_schema);
    connect_target(*run);
    // New tables take COPY's binary format where the types allow; a load
    // into existing tables keeps text, which also converts between column
    // types that merely look alike.
    if (!run->into_existing) use_binary_copy(run->catalog.tables);
    for (auto& line :
         remap_report(run->catalog, request.target_schema, request.rewrite_bodies, result.warnings))
        result.summary.push_back(std::move(line));

    Plan plan("clone");
    plan.add(
        {"snapshot", "read the source schema in one exported snapshot",
         fmt::format("schema {} of database {} (server {}): {} objects, {} tables, {} sequences; snapshot {}",
                     quote_ident(request.source_schema), quote_ident(run->source_database),
                     run->source_version, run->catalog.entries.size(), run->catalog.tables.size(),
                     run->catalog.sequences.size(), run->snapshot),
         [run](StepContext& ctx) {
             settle_resumed_source(*run, ctx.journal, "copy-data",
                                   [run, &ctx] { redo_clone_structure(*run, ctx.journal); });
             note_mixed_snapshot(*run, ctx.journal);
         },
         true});
    add_prepare_steps(plan, run);

    plan.add({"copy-data", fmt::format("stream table rows, {} jobs sharing the snapshot", request.jobs),
              fmt::format("{} tables ({} in COPY's binary format), largest first; each table (or block "
                          "range of a big table) is one COPY ... TO STDOUT piped into COPY ... FROM STDIN",
                          run->catalog.tables.size(),
                          std::count_if(run->catalog.tables.begin(), run->catalog.tables.end(),
                                        [](const TableData& t) { return t.binary_copy; })),
              [run](StepContext& ctx) { copy_all_tables(*run, ctx.journal, ctx.progress); }});

    add_finish_steps(plan, run, [run] {
        std::map<std::string, TableCopyResult> expected;
        for (const auto& t : run->catalog.tables)
            if (auto it = run->copied.find(t.key); it != run->copied.end()) expected[t.name] = it->second;
        return expected;
    });
    return plan;
}

}  // namespace dbclone::pg
