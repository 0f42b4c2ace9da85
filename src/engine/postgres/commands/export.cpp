// `dbclone export` for PostgreSQL: the schema's DDL entries and every table's
// rows, read in one exported snapshot, written as a dump set (layout.h):
// ddl.json, zstd chunks of COPY text with sha256, export.log, and the
// manifest last, so an interrupted export is never mistaken for a whole one.
#include <fmt/format.h>
#include <xxhash.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/row_checksum.h"
#include "dumpset/chunk_writer.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"
#include "engine/postgres/commands/commands.h"
#include "engine/postgres/data/snapshot.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/data/table_jobs.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/target/target.h"
#include "store/filter/sha256.h"

namespace dbclone::pg {

namespace {

struct ExportRun {
    std::shared_ptr<PgRun> run;
    std::unique_ptr<Store> store;
    std::string dump_dir;
    std::filesystem::path local_log;
};

nlohmann::json chunks_to_json(const std::vector<dumpset::ChunkEntry>& chunks) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : chunks)
        out.push_back({{"path", c.path},
                       {"bytes", c.bytes},
                       {"sha256", c.sha256},
                       {"rows", c.rows},
                       {"raw_bytes", c.raw_bytes}});
    return out;
}

std::vector<dumpset::ChunkEntry> chunks_from_json(const nlohmann::json& json) {
    std::vector<dumpset::ChunkEntry> out;
    for (const auto& c : json)
        out.push_back({c.at("path").get<std::string>(), c.at("bytes").get<std::uint64_t>(),
                       c.at("sha256").get<std::string>(), c.at("rows").get<std::uint64_t>(),
                       c.at("raw_bytes").get<std::uint64_t>()});
    return out;
}

// Rows of one table through a ChunkWriter, batched so chunk writes are large.
// The chunks written are recorded in the journal before the table counts as
// done: the manifest is built from there.
RowChecksum export_table(Connection& conn, ExportRun& ex, const TableData& table, Journal& journal) {
    const auto& req = ex.run->request;
    dumpset::ChunkWriter writer(*ex.store, ex.dump_dir, table.key, req.chunk_bytes);
    RowChecksum checksum;
    std::string batch;
    constexpr std::size_t kBatch = 256 * 1024;
    conn.copy_out(copy_out_sql(req.source_schema, table), [&](const char* row, std::size_t n) {
        checksum.add_row(row, n);
        if ((checksum.rows() & kInterruptCheckRows) == 0) check_interrupted();
        batch.append(row, n);
        if (batch.size() >= kBatch) {
            writer.write_rows(batch.data(), batch.size());
            batch.clear();
        }
    });
    if (!batch.empty()) writer.write_rows(batch.data(), batch.size());
    journal.set("chunks:" + table.key, chunks_to_json(writer.finish()));
    return checksum;
}

// Dump sets are named by the second they start; another export of the same
// schema in the same second (or one still writing there) waits for the next.
std::string unused_dump_set_dir(Store& store, const PgRun& run) {
    constexpr int kAttempts = 5;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        auto dir = dumpset::dump_set_dir(run.request.retention, run.source_database,
                                         run.request.source_schema, dumpset::utc_timestamp_now());
        if (store.list(dir + "/").empty()) return dir;
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    }
    throw Error(ErrorKind::target_exists,
                "every dump set name of the last seconds is taken in " + store.display_url(),
                "another export of this schema is running into the same store");
}

nlohmann::json inventory(const SchemaCatalog& catalog) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : catalog.entries) out.push_back({{"kind", e.kind}, {"name", e.name}});
    return out;
}

void write_manifest_step(ExportRun& ex, Journal& journal) {
    auto& run = *ex.run;
    dumpset::Manifest m;
    m.tool_version = DBCLONE_VERSION;
    m.server_version = run.source_version;
    m.database = run.source_database;
    m.schema = run.request.source_schema;
    m.created_at = journal.get("created_at").value_or(dumpset::utc_iso8601_now()).get<std::string>();
    m.snapshot = run.snapshot;
    m.ddl_sha256 = journal.get("ddl_sha256").value().get<std::string>();
    m.objects = inventory(run.catalog);
    if (journal.resumed())
        m.extra["note"] =
            "export resumed: tables finished before the interruption were read in an earlier snapshot";
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
        auto chunks = journal.get("chunks:" + t.key);
        te.chunks = chunks ? chunks_from_json(*chunks) : std::vector<dumpset::ChunkEntry>{};
        m.tables.push_back(std::move(te));
    }
    // The log goes next to the dump before the manifest: a complete dump set
    // always has its log.
    log::info("export of schema {} finished: {} tables, {} rows", quote_ident(m.schema), m.tables.size(),
              [&] {
                  std::uint64_t rows = 0;
                  for (const auto& t : m.tables) rows += t.rows;
                  return rows;
              }());
    std::string log_text;
    if (std::filesystem::exists(ex.local_log)) {
        std::ifstream in(ex.local_log);
        log_text.assign(std::istreambuf_iterator<char>(in), {});
    }
    write_all(*ex.store, dumpset::join_path(ex.dump_dir, m.log_path), log_text);
    dumpset::write_manifest(*ex.store, ex.dump_dir, m);
    std::error_code ec;
    std::filesystem::remove(ex.local_log, ec);
    run.result.summary.push_back(fmt::format("dump set: {} in {}", ex.dump_dir, ex.store->display_url()));
}

}  // namespace

Plan build_export_plan(const Request& request, RunResult& result) {
    auto ex = std::make_shared<ExportRun>();
    ex->run = std::make_shared<PgRun>(request, result);
    auto& run = *ex->run;
    ex->store = open_store(request.store_url);
    open_source_snapshot(run, request.source, request.source_schema);
    result.warnings.insert(result.warnings.end(), run.catalog.warnings.begin(), run.catalog.warnings.end());

    Plan plan("export");
    plan.add({"start", "choose the dump set directory and open the export log",
              fmt::format("{}/{}/schema/{}/<timestamp>/ in {}", request.retention,
                          dumpset::encode_path_component(run.source_database),
                          dumpset::encode_path_component(request.source_schema), ex->store->display_url()),
              [ex](StepContext& ctx) {
                  auto& r = *ex->run;
                  if (auto dir = ctx.journal.get("dump_dir")) {
                      ex->dump_dir = dir->get<std::string>();
                  } else {
                      ex->dump_dir = unused_dump_set_dir(*ex->store, r);
                      ctx.journal.set("dump_dir", ex->dump_dir);
                      ctx.journal.set("created_at", dumpset::utc_iso8601_now());
                  }
                  std::filesystem::create_directories(r.request.work_dir);
                  // Named after the dump set, so a resumed export appends to the log of
                  // the attempt it continues and the dump set gets both.
                  ex->local_log =
                      r.request.work_dir / fmt::format("export-{:016x}.log",
                                                       XXH3_64bits(ex->dump_dir.data(), ex->dump_dir.size()));
                  log::set_file(ex->local_log.string());
                  log::info("export of schema {} from database {} (server {}), snapshot {}, into {}",
                            quote_ident(r.request.source_schema), quote_ident(r.source_database),
                            r.source_version, r.snapshot, ex->dump_dir);
              },
              true});
    plan.add({"write-ddl", "write the DDL entries (ddl.json)",
              fmt::format("{} objects, {} tables, {} sequences", run.catalog.entries.size(),
                          run.catalog.tables.size(), run.catalog.sequences.size()),
              [ex](StepContext& ctx) {
                  std::string ddl = to_json(ex->run->catalog).dump(1);
                  Sha256 sha;
                  sha.update(ddl.data(), ddl.size());
                  write_all(*ex->store, dumpset::join_path(ex->dump_dir, "ddl.json"), ddl);
                  ctx.journal.set("ddl_sha256", sha.hex_digest());
              }});
    plan.add(
        {"export-data",
         fmt::format("write table rows as zstd chunks of {} (uncompressed), {} jobs sharing the snapshot",
                     human_bytes(request.chunk_bytes), request.jobs),
         fmt::format("{} tables, largest first", run.catalog.tables.size()), [ex](StepContext& ctx) {
             auto& r = *ex->run;
             WorkerConnections sources(r.request.jobs,
                                       [&] { return connect_in_snapshot(r.request.source, r.snapshot); });
             std::vector<TableWork> work;
             for (const auto& table : r.catalog.tables) {
                 if (!table_needs_work(r, ctx.journal, table)) continue;
                 TableWork w;
                 w.table = &table;
                 w.part_bytes = {table.size_bytes};
                 w.load_part = [&, tp = &table](std::size_t worker, std::size_t) {
                     return export_table(sources.get(worker), *ex, *tp, ctx.journal);
                 };
                 work.push_back(std::move(w));
             }
             run_table_work(r, ctx.journal, ctx.progress, std::move(work));
         }});
    plan.add({"write-manifest", "write export.log, then manifest.json (last: it marks the dump set complete)",
              "", [ex](StepContext& ctx) { write_manifest_step(*ex, ctx.journal); }});
    return plan;
}

}  // namespace dbclone::pg
