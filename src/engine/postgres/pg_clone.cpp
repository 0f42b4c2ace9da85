// `dbclone clone` for PostgreSQL: rows stream from the source's exported
// snapshot straight into the target (COPY out → COPY in, no files), one
// table per job, into a staging schema that is renamed into place at the end.
#include <fmt/format.h>

#include "engine/postgres/pg_commands.h"
#include "engine/postgres/pg_quote.h"
#include "engine/postgres/pg_steps.h"
#include "engine/postgres/pg_table_copy.h"
#include "engine/postgres/pg_target.h"
#include "engine/postgres/pg_workers.h"

namespace dbclone::pg {

Plan build_clone_plan(const Request& request, RunResult& result) {
    auto run = std::make_shared<PgRun>(request, result);
    open_source_snapshot(*run, request.source, request.source_schema);
    connect_target(*run);
    for (auto& w : remap_warnings(run->catalog, request.target_schema))
        result.warnings.push_back(std::move(w));

    Plan plan("clone");
    plan.add(
        {"snapshot", "read the source schema in one exported snapshot",
         fmt::format("schema {} of database {} (server {}): {} objects, {} tables, {} sequences; snapshot {}",
                     quote_ident(request.source_schema), quote_ident(run->source_database),
                     run->source_version, run->catalog.entries.size(), run->catalog.tables.size(),
                     run->catalog.sequences.size(), run->snapshot),
         [](StepContext&) {}, true});
    add_prepare_steps(plan, run);

    plan.add(
        {"copy-data", fmt::format("stream table rows, {} jobs sharing the snapshot", request.jobs),
         fmt::format(
             "{} tables, largest first; each table is one COPY ... TO STDOUT piped into COPY ... FROM STDIN",
             run->catalog.tables.size()),
         [run](StepContext& ctx) {
             const auto& req = run->request;
             WorkerConnections sources(req.jobs,
                                       [&] { return connect_in_snapshot(req.source, run->snapshot); });
             WorkerConnections targets(req.jobs, [&] {
                 auto c = std::make_unique<Connection>(req.target, "target");
                 prepare_load_session(*run, *c);
                 return c;
             });
             for_each_table_parallel(
                 *run, ctx.journal, ctx.progress, [&](std::size_t worker, const TableData& table) {
                     if (!table_receives_rows(*run, table.name))
                         return checksum_table(sources.get(worker), req.source_schema, table);
                     return stream_table(sources.get(worker), targets.get(worker), req.source_schema,
                                         run->load_schema, table, table_truncated_first(*run, table.name));
                 });
         }});

    add_finish_steps(plan, run, [run] {
        std::map<std::string, TableCopyResult> expected;
        for (const auto& t : run->catalog.tables)
            if (auto it = run->copied.find(t.key); it != run->copied.end()) expected[t.name] = it->second;
        return expected;
    });
    return plan;
}

}  // namespace dbclone::pg
