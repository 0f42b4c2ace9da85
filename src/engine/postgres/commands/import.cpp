// `dbclone import` for PostgreSQL: a dump set into a target database,
// optionally under another schema name (REMAP_SCHEMA). Before the target is
// touched the DDL is checked and every chunk is found with its recorded size
// (dumpset/set_check.h), by default also every chunk's sha256 and rows (a
// read of the whole set; --check-chunks-while-loading skips it); each chunk's
// sha256, size and rows are checked again while it streams into COPY, before
// the COMMIT of the transaction it loads in. A table of one chunk loads in one
// transaction; a bigger one chunk by chunk in parallel, and when one of its
// chunks (or the table's row checksum) is bad no chunk of it commits after
// that, and those committed before are emptied again: nothing of a bad table
// stays. A resumed run first drops the rows of a chunk that committed without
// being journaled (data/committed_parts.h).
#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "core/error.h"
#include "core/fault.h"
#include "core/interrupt.h"
#include "core/journal.h"
#include "core/progress.h"
#include "core/row_checksum.h"
#include "core/worker_pool.h"
#include "dumpset/chunk_reader.h"
#include "dumpset/finder.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"
#include "dumpset/set_check.h"
#include "dumpset/signature.h"
#include "engine/postgres/commands/commands.h"
#include "engine/postgres/commands/load_steps.h"
#include "engine/postgres/data/committed_parts.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/data/table_jobs.h"
#include "engine/postgres/data/table_parts.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/target/ddl_guard.h"
#include "engine/postgres/target/remap_entries.h"
#include "engine/postgres/target/target.h"
#include "store/filter/sha256.h"

namespace dbclone::pg {

namespace {

struct ImportRun {
    std::shared_ptr<PgRun> run;
    std::unique_ptr<Store> store;
    std::string dump_dir;
    dumpset::Manifest manifest;
    std::map<std::string, const dumpset::TableEntry*> by_key;
};

SchemaCatalog read_ddl(Store& store, const std::string& dump_dir, const dumpset::Manifest& m) {
    const auto path = dumpset::join_path(dump_dir, m.ddl_path);
    std::string text;
    try {
        text = read_all(store, path);
    } catch (Error& e) {
        throw Error(ErrorKind::corrupt_artefact, fmt::format("cannot read {}: {}", path, e.message()));
    }
    Sha256 sha;
    sha.update(text.data(), text.size());
    if (auto found = sha.hex_digest(); found != m.ddl_sha256)
        throw Error(ErrorKind::corrupt_artefact,
                    fmt::format("{} checksum mismatch: expected {}, found {}", path, m.ddl_sha256, found));
    try {
        return catalog_from_json(nlohmann::json::parse(text));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::corrupt_artefact,
                    fmt::format("{} is not a valid DDL file: {}", path, e.what()));
    }
}

// What the export recorded about rows it may not have read in full or in
// one snapshot (commands/export.cpp manifest_of): said again on every import,
// since the import's own verification compares with the set, not the source.
void warn_of_partial_export(const dumpset::Manifest& m, RunResult& result) {
    if (!m.extra.is_object()) return;
    if (auto it = m.extra.find("row_security_tables");
        it != m.extra.end() && it->is_array() && !it->empty()) {
        std::string tables;
        for (const auto& t : *it)
            if (t.is_string()) tables += (tables.empty() ? "" : ", ") + quote_ident(t.get<std::string>());
        result.warnings.push_back(fmt::format(
            "this dump set was exported with --enable-row-security: the rows of {} are those the exporting "
            "role's row-level security policies let it see, which may be fewer than the source tables held",
            tables));
    }
    if (auto it = m.extra.find("mixed_snapshot"); it != m.extra.end() && *it == true) {
        const auto note = m.extra.find("note");
        result.warnings.push_back(
            "this dump set's tables were not all read in one snapshot" +
            (note != m.extra.end() && note->is_string() ? ": " + note->get<std::string>() : std::string()));
    }
}

void expect_manifest_rows(const dumpset::TableEntry& entry, const TableData& table,
                          const RowChecksum& loaded) {
    if (loaded.rows() != entry.rows || loaded.hex() != entry.checksum)
        throw Error(
            ErrorKind::corrupt_artefact,
            fmt::format("rows of table {} in the dump set differ from the manifest: {} rows, checksum {}; "
                        "manifest says {} rows, checksum {}",
                        quote_ident(table.name), loaded.rows(), loaded.hex(), entry.rows, entry.checksum));
}

RowChecksum load_table(ImportRun& im, Connection& target, const TableData& table, bool truncate_first) {
    const auto& entry = *im.by_key.at(table.key);
    auto& run = *im.run;
    const auto qualified = qualify(run.load_schema, table.name);
    RowChecksum checksum;
    in_transaction(target, [&] {
        if (truncate_first) target.exec("TRUNCATE ONLY " + qualified);
        if (table.columns.empty()) {
            // A table without copyable columns: its chunks hold one empty line per row.
            for (const auto& chunk : entry.chunks)
                dumpset::read_chunk(*im.store, im.dump_dir, chunk,
                                    [&](const char* d, std::size_t n) { checksum.add_stream(d, n); });
            target.exec(
                fmt::format("INSERT INTO {} SELECT FROM generate_series(1, {})", qualified, checksum.rows()));
        } else {
            target.copy_in(copy_in_sql(run.load_schema, table, truncate_first), [&](Connection::CopyIn& in) {
                for (const auto& chunk : entry.chunks)
                    dumpset::read_chunk(*im.store, im.dump_dir, chunk, [&](const char* d, std::size_t n) {
                        checksum.add_stream(d, n);
                        in.put(d, n);
                        check_interrupted();  // per 256 KiB piece
                    });
            });
        }
        if (!checksum.stream_complete())
            throw Error(
                ErrorKind::corrupt_artefact,
                fmt::format("the last row of table {} in the dump set is cut off", quote_ident(table.name)));
        // Before COMMIT: rows that differ from the manifest never become visible.
        expect_manifest_rows(entry, table, checksum);
    });
    return checksum;
}

// The chunks of one table that load in parallel, each in its own
// transaction: once one of them is found bad, none commits any more.
struct ChunkGate {
    std::mutex mutex;
    std::optional<Error> bad;
    void close(const Error& e) {
        std::lock_guard lock(mutex);
        if (!bad) bad = e;
    }
};

// One chunk of a table whose chunks load in parallel: its own transaction,
// committed only after the chunk's size, sha256 and rows checked out, read in
// the same pass that fed COPY, and while no other chunk of the table was bad.
RowChecksum load_chunk(ImportRun& im, Connection& target, const TableData& table,
                       const dumpset::ChunkEntry& chunk, ChunkGate& gate) {
    auto& run = *im.run;
    RowChecksum checksum;
    target.exec("BEGIN");
    try {
        target.copy_in(copy_in_sql(run.load_schema, table, false), [&](Connection::CopyIn& in) {
            dumpset::read_chunk(*im.store, im.dump_dir, chunk, [&](const char* d, std::size_t n) {
                checksum.add_stream(d, n);
                in.put(d, n);
                check_interrupted();
            });
        });
        if (!checksum.stream_complete() || checksum.rows() != chunk.rows)
            throw Error(ErrorKind::corrupt_artefact,
                        fmt::format("chunk {} holds {} rows, the manifest says {}", chunk.path,
                                    checksum.rows(), chunk.rows));
        // Under the gate: a chunk found bad by another worker cannot be
        // overtaken by this COMMIT once the gate is closed.
        std::lock_guard lock(gate.mutex);
        if (gate.bad) throw *gate.bad;
        target.exec("COMMIT");
    } catch (const Error& e) {
        target.rollback_quietly();
        if (e.kind() == ErrorKind::corrupt_artefact) gate.close(e);
        throw;
    } catch (...) {
        target.rollback_quietly();
        throw;
    }
    fault_point("import:chunk-committed");  // committed, not yet journaled
    return checksum;
}

// After a bad chunk or row checksum, with every worker stopped: the chunks of
// that table committed before go (their journal records first, so a crash in
// between leaves rows the next resume finds unjournaled and empties).
void empty_bad_tables(ImportRun& im, Journal& journal, Connection& target,
                      const std::map<const TableData*, std::unique_ptr<ChunkGate>>& gates) {
    for (const auto& [table, gate] : gates) {
        if (!gate->bad) continue;
        journal.forget_prefix("part:" + table->key + ":");
        journal.forget_prefix("emptied:" + table->key);
        target.rollback_quietly();
        target.exec("TRUNCATE ONLY " + qualify(im.run->load_schema, table->name));
    }
}

// Every table not yet loaded: in one transaction with COPY FREEZE, or, a
// table of several chunks that is the load's critical path, chunk by chunk
// in parallel (data/table_jobs.h, data/table_parts.h).
void load_all_tables(ImportRun& im, Journal& journal, Progress& progress) {
    auto& r = *im.run;
    WorkerConnections targets(r.request.jobs, [&] {
        auto c = std::make_unique<Connection>(r.request.target, "target");
        prepare_load_session(r, *c);
        return c;
    });
    std::vector<TableWork> work;
    std::map<const TableData*, std::unique_ptr<ChunkGate>> gates;
    // Chunks of a table load in parallel only where clone would cut it
    // (data/table_parts.h): in transactions of their own they lose COPY FREEZE.
    std::uint64_t total_bytes = 0;
    for (const auto& table : r.catalog.tables)
        if (table_receives_rows(r, table.name)) total_bytes += table.size_bytes;
    for (const auto& table : r.catalog.tables) {
        if (!table_needs_work(r, journal, table)) continue;
        const auto& entry = *im.by_key.at(table.key);
        TableWork w;
        w.table = &table;
        if (!table_receives_rows(r, table.name)) {
            // Kept as it is: nothing to load, the manifest's numbers stand.
            w.part_bytes = {0};
            w.load_part = [&entry](std::size_t, std::size_t) {
                RowChecksum c;
                if (!RowChecksum::parse(entry.rows, entry.checksum, c))
                    throw Error(ErrorKind::corrupt_artefact,
                                "bad checksum in the manifest: " + entry.checksum);
                return c;
            };
            work.push_back(std::move(w));
            continue;
        }
        const bool truncate_first = table_truncated_first(r, table.name);
        // Cores are not weighed here (0): chunks come from the store, not
        // through a source server's shared buffers, and whole against parts
        // measured the same (issue 13, scale 50, 2 jobs, target on this
        // 2-core machine: 15.1 / 12.9 s in parts, 13.5 / 13.6 s whole).
        if (r.request.jobs == 1 || entry.chunks.size() < 2 || table.columns.empty() ||
            table_loads_in_one_transaction(r, table.name) ||
            !worth_loading_in_parts(table, total_bytes, r.request.jobs, 0)) {
            std::uint64_t bytes = 0;
            for (const auto& c : entry.chunks) bytes += c.raw_bytes;
            w.part_bytes = {bytes};
            w.load_part = [&, tp = &table, truncate_first](std::size_t worker, std::size_t) {
                return load_table(im, targets.get(worker), *tp, truncate_first);
            };
        } else {
            forget_unjournaled_parts(targets.get(0), journal, qualify(r.load_schema, table.name), table.key,
                                     entry.chunks.size());
            for (const auto& c : entry.chunks) w.part_bytes.push_back(c.raw_bytes);
            auto* gate = (gates[&table] = std::make_unique<ChunkGate>()).get();
            // Parts commit one by one: the whole table is checked once all are in.
            w.check_total = [&entry, tp = &table, gate](const RowChecksum& total) {
                try {
                    expect_manifest_rows(entry, *tp, total);
                } catch (const Error& e) {
                    gate->close(e);
                    throw;
                }
            };
            if (truncate_first)
                w.before_parts = [&, tp = &table](std::size_t worker) {
                    targets.get(worker).exec("TRUNCATE ONLY " + qualify(r.load_schema, tp->name));
                };
            w.load_part = [&, tp = &table, ep = &entry, gate](std::size_t worker, std::size_t i) {
                return load_chunk(im, targets.get(worker), *tp, ep->chunks[i], *gate);
            };
        }
        work.push_back(std::move(w));
    }
    ReadBacks read_backs(r, r.request.jobs);
    try {
        run_table_work(r, journal, progress, std::move(work),
                       [&](std::size_t worker, const TableData& table) {
                           after_table_loaded(r, journal, targets.get(worker), worker, table, read_backs);
                       });
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::corrupt_artefact) empty_bad_tables(im, journal, targets.get(0), gates);
        throw;
    }
    read_backs.finish();
}

}  // namespace

Plan build_import_plan(const Request& request, RunResult& result) {
    auto im = std::make_shared<ImportRun>();
    im->store = open_store(request.store_url);
    im->dump_dir = request.dump_path.empty()
                       ? dumpset::Finder(*im->store)
                             .newest_for_import(request.source_schema, request.any_retention
                                                                           ? dumpset::Finder::kAnyRetention
                                                                           : request.retention)
                       : request.dump_path;
    while (!im->dump_dir.empty() && im->dump_dir.back() == '/') im->dump_dir.pop_back();
    result.pinned_dump = im->dump_dir;
    if (!request.dump_path.empty() && im->store->list(im->dump_dir + "/").empty())
        throw Error(ErrorKind::not_found,
                    fmt::format("there is no dump set at {} in {}", im->dump_dir, im->store->display_url()),
                    "check the --dump path (relative to the store: <retention>/<database>/schema/<schema>/"
                    "<timestamp>), or leave --dump out to import the newest complete dump set");
    {
        // The bytes checked are the bytes parsed: nothing of the set is read
        // before its signature checks out.
        const auto text = dumpset::read_manifest_text(*im->store, im->dump_dir);
        if (!request.verify_key.empty())
            dumpset::verify_manifest_signature(*im->store, im->dump_dir, text, request.verify_key);
        im->manifest = dumpset::parse_manifest(text, im->dump_dir);
    }
    const auto& m = im->manifest;
    if (m.schema != request.source_schema)
        throw Error(ErrorKind::usage,
                    fmt::format("dump set {} holds schema {}, not {}", im->dump_dir, quote_ident(m.schema),
                                quote_ident(request.source_schema)),
                    fmt::format("write --remap-schema {}:{}", m.schema, request.target_schema));
    im->run = std::make_shared<PgRun>(request, result);
    auto& run = *im->run;
    run.catalog = read_ddl(*im->store, im->dump_dir, m);
    // A dump set is data: its DDL may only create its own schema's objects.
    check_dump_set_ddl(run.catalog);
    dumpset::check_chunk_sizes(*im->store, im->dump_dir, m);  // cheap: no data read
    run.source_version = m.server_version;
    run.source_database = m.database;
    warn_of_partial_export(m, result);
    for (const auto& t : m.tables) im->by_key[t.key] = &t;
    for (const auto& t : run.catalog.tables)
        if (!im->by_key.count(t.key))
            throw Error(ErrorKind::corrupt_artefact,
                        fmt::format("manifest of {} has no data entry for table {}", im->dump_dir,
                                    quote_ident(t.name)));
    connect_target(run);
    for (auto& line :
         remap_report(run.catalog, request.target_schema, request.rewrite_bodies, result.warnings))
        result.summary.push_back(std::move(line));

    Plan plan("import");
    // Before anything touches the target, on every attempt (the store may
    // have changed between a failed run and its resume).
    plan.add({"read-dump-set",
              request.check_chunks_before_load
                  ? "read the manifest and DDL of the dump set, check every chunk"
                  : "read the manifest and DDL of the dump set, find every chunk",
              fmt::format(
                  "{} in {}: schema {} of database {} (server {}), exported {}; {} objects, {} tables;\n{}",
                  im->dump_dir, im->store->display_url(), quote_ident(m.schema), quote_ident(m.database),
                  m.server_version, m.created_at, run.catalog.entries.size(), run.catalog.tables.size(),
                  request.check_chunks_before_load
                      ? "every chunk's existence, size, sha256 and rows and every table's row checksum are "
                        "checked before the target is touched"
                      : "every chunk's existence and size are checked before the target is touched "
                        "(--check-chunks-while-loading: the rest as each chunk loads)"),
              [im](StepContext&) {
                  // The default reads the whole dump set once more so that a damaged
                  // one is refused before anything exists on the target; the load
                  // checks every chunk again as it streams (the store may change in
                  // between).
                  if (im->run->request.check_chunks_before_load)
                      dumpset::check_dump_set(*im->store, im->dump_dir, im->manifest, im->run->request.jobs);
                  else
                      dumpset::check_chunk_sizes(*im->store, im->dump_dir, im->manifest);
              },
              true});
    add_prepare_steps(plan, im->run);
    plan.add(
        {"load-data", fmt::format("load table rows from the chunks, {} jobs", request.jobs),
         "a table of one chunk in one transaction (COPY FREEZE), bigger tables one transaction per chunk in "
         "parallel;\n"
         "each chunk is read once: its sha256, size and rows are checked as it streams into COPY, before its "
         "COMMIT; every table's row checksum against the manifest (a bad table keeps no rows)",
         [im](StepContext& ctx) { load_all_tables(*im, ctx.journal, ctx.progress); }});
    add_finish_steps(plan, im->run, [im] {
        std::map<std::string, TableCopyResult> expected;
        for (const auto& t : im->manifest.tables) expected[t.name] = {t.rows, t.checksum};
        return expected;
    });
    result.summary.push_back(
        fmt::format("imported dump set {} into schema {}", im->dump_dir, quote_ident(request.target_schema)));
    return plan;
}

}  // namespace dbclone::pg
