// `dbclone export` for PostgreSQL: the schema's DDL entries and every table's
// rows, read in one exported snapshot, written as a dump set (layout.h):
// ddl.json, zstd chunks of COPY text with sha256, export.log, and the
// manifest last, so an interrupted export is never mistaken for a whole one.
#include <fmt/format.h>

#include <optional>

#include "core/error.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/row_checksum.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"
#include "dumpset/signature.h"
#include "dumpset/writer.h"
#include "engine/postgres/commands/commands.h"
#include "engine/postgres/commands/resume_source.h"
#include "engine/postgres/data/snapshot.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/data/table_jobs.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/target/target.h"

namespace dbclone::pg {

namespace {

struct ExportRun {
    std::shared_ptr<PgRun> run;
    std::unique_ptr<Store> store;
    std::optional<dumpset::Writer> writer;  // from the "start" step on
};

// Rows of one table into the dump set. The chunks written are journaled
// before the table counts as done: the manifest is built from there.
RowChecksum export_table(Connection& conn, ExportRun& ex, const TableData& table) {
    const auto& req = ex.run->request;
    dumpset::Writer::TableRows rows(*ex.writer, table.key, req.chunk_bytes);
    auto checksum = copy_out_rows(conn, req.source_schema, table, nullptr,
                                  [&](const char* data, std::size_t n) { rows.add(data, n); });
    rows.finish();
    return checksum;
}

nlohmann::json inventory(const SchemaCatalog& catalog) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : catalog.entries) out.push_back({{"kind", e.kind}, {"name", e.name}});
    return out;
}

// What the engine knows for the manifest; the Writer adds the rest.
dumpset::Manifest manifest_of(const PgRun& run, const Journal& journal) {
    dumpset::Manifest m;
    m.server_version = run.source_version;
    m.snapshot = run.snapshot;
    m.objects = inventory(run.catalog);
    if (journal.get(kMixedSnapshotKey)) {
        m.extra["mixed_snapshot"] = true;
        m.extra["note"] = fmt::format(
            "export resumed with --allow-mixed-snapshot: tables finished before the interruption were read "
            "in "
            "an earlier snapshot than {}",
            run.snapshot);
    }
    // Read under the role's row-level security policies (--enable-row-security):
    // an import of this set says so, since its rows may be fewer than the source's.
    if (!run.source_row_security.empty()) m.extra["row_security_tables"] = run.source_row_security;
    for (const auto& t : run.catalog.tables) {
        dumpset::TableEntry te;
        te.key = t.key;
        te.schema_name = run.request.source_schema;
        te.name = t.name;
        te.columns = t.columns;
        // From the journal: a resumed run may not have copied this table itself.
        auto done = journal.done_detail("table:" + t.key);
        if (!done) throw Error(ErrorKind::internal, "table " + quote_ident(t.name) + " was not exported");
        te.rows = done->value("rows", std::uint64_t{0});
        te.checksum = done->value("checksum", std::string());
        m.tables.push_back(std::move(te));
    }
    return m;
}

dumpset::DumpSetOrigin origin_of(const PgRun& run) {
    return {run.request.retention, run.source_database, run.request.source_schema};
}

}  // namespace

Plan build_export_plan(const Request& request, RunResult& result) {
    auto ex = std::make_shared<ExportRun>();
    ex->run = std::make_shared<PgRun>(request, result);
    auto& run = *ex->run;
    ex->store = open_store(request.store_url);
    // A bad --retention is a usage error now, before anything is started.
    dumpset::dump_set_dir(request.retention, "database", request.source_schema, dumpset::utc_timestamp_now());
    open_source_snapshot(run, request.source, request.source_schema);
    result.warnings.insert(result.warnings.end(), run.catalog.warnings.begin(), run.catalog.warnings.end());

    Plan plan("export");
    plan.add({"start", "choose the dump set directory and open the export log",
              dumpset::planned_location(*ex->store, origin_of(run)),
              [ex](StepContext& ctx) {
                  auto& r = *ex->run;
                  settle_resumed_source(r, ctx.journal, "export-data",
                                        [&ctx] { ctx.journal.forget_prefix("step:write-ddl"); });
                  note_mixed_snapshot(r, ctx.journal);
                  ex->writer.emplace(*ex->store, ctx.journal, origin_of(r), r.request.work_dir);
                  // A run killed after the manifest was written resumes to
                  // "all done": opening the log then would create a file that
                  // no later step takes into the dump set and removes.
                  if (!ctx.journal.done("step:write-manifest"))
                      log::set_file(ex->writer->local_log().string());
                  log::info("export of schema {} from database {} (server {}), snapshot {}, into {}",
                            quote_ident(r.request.source_schema), quote_ident(r.source_database),
                            r.source_version, r.snapshot, ex->writer->dir());
              },
              true});
    plan.add({"write-ddl", "write the DDL entries (ddl.json)",
              fmt::format("{} objects, {} tables, {} sequences", run.catalog.entries.size(),
                          run.catalog.tables.size(), run.catalog.sequences.size()),
              [ex](StepContext&) { ex->writer->write_ddl(to_json(ex->run->catalog).dump(1)); }});
    plan.add(
        {"export-data",
         fmt::format("write table rows as zstd chunks of {} (uncompressed), {} jobs sharing the snapshot",
                     human_bytes(request.chunk_bytes), request.jobs),
         fmt::format("{} tables, largest first", run.catalog.tables.size()), [ex](StepContext& ctx) {
             auto& r = *ex->run;
             WorkerConnections sources(r.request.jobs, [&] { return connect_to_source_snapshot(r); });
             std::vector<TableWork> work;
             for (const auto& table : r.catalog.tables) {
                 if (!table_needs_work(r, ctx.journal, table)) continue;
                 TableWork w;
                 w.table = &table;
                 w.part_bytes = {table.size_bytes};
                 w.load_part = [&, tp = &table](std::size_t worker, std::size_t) {
                     return export_table(sources.get(worker), *ex, *tp);
                 };
                 work.push_back(std::move(w));
             }
             run_table_work(r, ctx.journal, ctx.progress, std::move(work));
         }});
    // A key that cannot sign fails now, not after every table was written.
    if (!request.sign_key.empty()) dumpset::sign_manifest("", request.sign_key);
    plan.add({"write-manifest",
              request.sign_key.empty()
                  ? "write export.log, then manifest.json (last: it marks the dump set complete)"
                  : "write export.log, the manifest's Ed25519 signature, then manifest.json (last: it marks "
                    "the dump set complete)",
              "", [ex](StepContext& ctx) {
                  ex->writer->finish(manifest_of(*ex->run, ctx.journal), ex->run->request.sign_key);
                  ex->run->result.summary.push_back(
                      fmt::format("dump set: {} in {}", ex->writer->dir(), ex->store->display_url()));
              }});
    return plan;
}

}  // namespace dbclone::pg
