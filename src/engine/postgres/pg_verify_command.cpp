// `dbclone verify` for PostgreSQL: compares a source schema with a target
// schema that is already there, each read in its own snapshot: object
// inventory by kind, name and definition, rows and content checksums of
// every table, sequence values, invalid objects.
#include <fmt/format.h>

#include "core/error.h"
#include "core/worker_pool.h"
#include "engine/postgres/catalog_reader.h"
#include "engine/postgres/pg_commands.h"
#include "engine/postgres/pg_quote.h"
#include "engine/postgres/pg_table_copy.h"
#include "engine/postgres/pg_target.h"
#include "engine/postgres/pg_verify.h"
#include "engine/postgres/pg_workers.h"

namespace dbclone::pg {

namespace {

struct VerifyRun {
    std::shared_ptr<PgRun> run;
    SchemaCatalog target_catalog;
    std::string target_snapshot;
};

std::map<std::string, TableCopyResult> checksum_side(const std::vector<TableData>& tables, std::size_t jobs,
                                                     const std::string& conninfo, const std::string& snapshot,
                                                     const std::string& schema, const std::string& side) {
    std::map<std::string, TableCopyResult> out;
    std::mutex mutex;
    WorkerConnections conns(jobs, [&] {
        auto c = connect_in_snapshot(conninfo, snapshot);
        return c;
    });
    std::vector<Job> work;
    for (const auto& table : tables)
        work.push_back([&, tp = &table](std::size_t worker) {
            auto r = with_context(fmt::format("checksumming {} table {}", side, quote_ident(tp->name)),
                                  [&] { return checksum_table(conns.get(worker), schema, *tp); });
            std::lock_guard lock(mutex);
            out[tp->name] = r;
        });
    run_jobs(jobs, std::move(work));
    return out;
}

}  // namespace

Plan build_verify_plan(const Request& request, RunResult& result) {
    auto v = std::make_shared<VerifyRun>();
    v->run = std::make_shared<PgRun>(request, result);
    auto& run = *v->run;
    open_source_snapshot(run, request.source, request.source_schema);
    run.target = std::make_unique<Connection>(request.target, "target");
    auto& t = *run.target;
    t.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!schema_exists(t, request.target_schema))
        throw Error(ErrorKind::not_found, fmt::format("schema {} does not exist in the target database",
                                                      quote_ident(request.target_schema)));
    v->target_snapshot = t.query("SELECT pg_export_snapshot()").get(0, 0);
    v->target_catalog = read_schema_catalog(t, request.target_schema);
    run.load_schema = request.target_schema;

    Plan plan("verify");
    plan.add({"compare-objects", "compare the object inventory and sequence values",
              fmt::format("source {} objects, target {} objects", run.catalog.entries.size(),
                          v->target_catalog.entries.size()),
              [v](StepContext&) {
                  auto& r = *v->run;
                  r.result.report.set_title(fmt::format("verification of schema {} against {}",
                                                        quote_ident(r.request.source_schema),
                                                        quote_ident(r.request.target_schema)));
                  compare_inventory(r.catalog, v->target_catalog, target_roles(*r.target), r.result.report);
                  compare_sequences(r.catalog, v->target_catalog, r.result.report);
              },
              true});
    plan.add({"compare-data", fmt::format("row counts and content checksums, {} jobs per side", request.jobs),
              fmt::format("{} tables", run.catalog.tables.size()),
              [v](StepContext&) {
                  auto& r = *v->run;
                  const auto& req = r.request;
                  auto source = checksum_side(r.catalog.tables, req.jobs, req.source, r.snapshot,
                                              req.source_schema, "source");
                  auto target = checksum_side(v->target_catalog.tables, req.jobs, req.target,
                                              v->target_snapshot, req.target_schema, "target");
                  compare_tables(r.catalog, source, target, r.result.report);
              },
              true});
    plan.add({"check-invalid", "look for invalid objects on the target", "",
              [v](StepContext&) {
                  check_invalid_objects(*v->run->target, v->run->request.target_schema,
                                        v->run->result.report);
              },
              true});
    return plan;
}

}  // namespace dbclone::pg
