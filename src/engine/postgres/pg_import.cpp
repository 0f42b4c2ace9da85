// `dbclone import` for PostgreSQL: a dump set into a target database,
// optionally under another schema name (REMAP_SCHEMA). Each table loads in
// one transaction from its chunks; a chunk whose size or sha256 differs from
// the manifest, or rows whose checksum differs, roll that table back and stop
// the run with an error naming the chunk or table.
#include <fmt/format.h>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/journal.h"
#include "core/progress.h"
#include "core/row_checksum.h"
#include "core/worker_pool.h"
#include "dumpset/chunk_reader.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"
#include "engine/postgres/pg_commands.h"
#include "engine/postgres/pg_quote.h"
#include "engine/postgres/pg_steps.h"
#include "engine/postgres/pg_table_copy.h"
#include "engine/postgres/pg_target.h"
#include "engine/postgres/pg_workers.h"
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

// Without --dump: the newest complete dump set of the schema under the
// retention prefix, whatever database it came from (one, or ask).
std::string find_dump_set(Store& store, const Request& request) {
    const std::string schema_part = "/schema/" + dumpset::encode_path_component(request.source_schema) + "/";
    std::map<std::string, std::string> newest_per_database;  // database dir -> dump dir
    for (const auto& object : store.list(request.retention + "/")) {
        const std::string suffix = "/manifest.json";
        if (object.path.size() <= suffix.size() ||
            object.path.compare(object.path.size() - suffix.size(), suffix.size(), suffix))
            continue;
        auto dir = object.path.substr(0, object.path.size() - suffix.size());
        auto at = dir.find(schema_part);
        if (at == std::string::npos || dir.find('/', at + schema_part.size()) != std::string::npos) continue;
        auto database = dir.substr(0, at);
        auto& best = newest_per_database[database];
        if (dir > best) best = dir;
    }
    if (newest_per_database.empty())
        throw Error(
            ErrorKind::not_found,
            fmt::format("no complete dump set of schema {} under {} in {}",
                        quote_ident(request.source_schema), request.retention + "/", store.display_url()),
            "check --store, --retention and the schema name, or name one with --dump");
    if (newest_per_database.size() > 1) {
        std::string names;
        for (const auto& [db, dir] : newest_per_database) names += (names.empty() ? "" : ", ") + dir;
        throw Error(ErrorKind::usage, "dump sets of that schema exist for several databases: " + names,
                    "choose one with --dump");
    }
    return newest_per_database.begin()->second;
}

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

TableCopyResult load_table(ImportRun& im, Connection& target, const TableData& table, bool truncate_first) {
    const auto& entry = *im.by_key.at(table.key);
    auto& run = *im.run;
    const auto qualified = qualify(run.load_schema, table.name);
    RowChecksum checksum;
    target.exec("BEGIN");
    try {
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
        if (!checksum.stream_complete() || checksum.rows() != entry.rows || checksum.hex() != entry.checksum)
            throw Error(
                ErrorKind::corrupt_artefact,
                fmt::format(
                    "rows of table {} in the dump set differ from the manifest: {} rows, checksum {}; "
                    "manifest says {} rows, checksum {}",
                    quote_ident(table.name), checksum.rows(), checksum.hex(), entry.rows, entry.checksum));
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

// One chunk of a table whose chunks load in parallel: its own transaction,
// committed only after the chunk's size and sha256 checked out.
RowChecksum load_chunk(ImportRun& im, Connection& target, const TableData& table,
                       const dumpset::ChunkEntry& chunk) {
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
        target.exec("COMMIT");
    } catch (...) {
        try {
            target.exec("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    return checksum;
}

// A table loaded chunk by chunk: the chunks still to load, and the
// checksum of those loaded so far (this run's and, journaled, earlier runs').
struct SplitTable {
    const TableData* table = nullptr;
    const dumpset::TableEntry* entry = nullptr;
    std::mutex mutex;
    std::size_t remaining = 0;
    RowChecksum loaded;
};

struct SizedJob {
    std::uint64_t bytes;
    Job job;
};

void finish_split_table(ImportRun& im, SplitTable& split, Journal& journal, Progress& progress) {
    const auto& e = *split.entry;
    if (split.loaded.rows() != e.rows || split.loaded.hex() != e.checksum)
        throw Error(
            ErrorKind::corrupt_artefact,
            fmt::format("rows of table {} in the dump set differ from the manifest: {} rows, checksum {}; "
                        "manifest says {} rows, checksum {}",
                        quote_ident(split.table->name), split.loaded.rows(), split.loaded.hex(), e.rows,
                        e.checksum));
    {
        std::lock_guard lock(im.run->mutex);
        im.run->copied[e.key] = {e.rows, e.checksum};
    }
    journal.mark_done("table:" + e.key, {{"rows", e.rows}, {"checksum", e.checksum}});
    progress.item_finished(split.table->name, e.rows, split.table->size_bytes);
}

// Every table not yet loaded: small ones (one chunk) as one job in one
// transaction with COPY FREEZE; bigger ones as one job per chunk, so a big
// table does not leave the other workers idle. Largest jobs first.
void load_all_tables(ImportRun& im, Journal& journal, Progress& progress) {
    auto& r = *im.run;
    WorkerConnections targets(r.request.jobs, [&] {
        auto c = std::make_unique<Connection>(r.request.target, "target");
        prepare_load_session(r, *c);
        return c;
    });
    std::vector<SizedJob> jobs;
    std::vector<std::unique_ptr<SplitTable>> splits;
    for (const auto& table : r.catalog.tables) {
        const auto& entry = *im.by_key.at(table.key);
        if (auto done = journal.done_detail("table:" + table.key)) {
            r.copied[table.key] = {done->value("rows", std::uint64_t{0}),
                                   done->value("checksum", std::string())};
            continue;
        }
        if (!table_receives_rows(r, table.name)) {
            r.copied[table.key] = {entry.rows, entry.checksum};
            journal.mark_done("table:" + table.key, {{"rows", entry.rows}, {"checksum", entry.checksum}});
            continue;
        }
        const bool truncate_first = table_truncated_first(r, table.name);
        if (r.request.jobs == 1 || entry.chunks.size() < 2 || table.columns.empty()) {
            std::uint64_t bytes = 0;
            for (const auto& c : entry.chunks) bytes += c.raw_bytes;
            jobs.push_back({bytes, [&, tp = &table, truncate_first](std::size_t worker) {
                                auto result = with_context("loading table " + quote_ident(tp->name), [&] {
                                    return load_table(im, targets.get(worker), *tp, truncate_first);
                                });
                                {
                                    std::lock_guard lock(r.mutex);
                                    r.copied[tp->key] = result;
                                }
                                journal.mark_done("table:" + tp->key,
                                                  {{"rows", result.rows}, {"checksum", result.checksum}});
                                progress.item_finished(tp->name, result.rows, tp->size_bytes);
                            }});
            continue;
        }
        // Emptied once, before its chunks load; journaled, so a resumed run
        // keeps the chunks it already committed.
        if (truncate_first && !journal.done("emptied:" + table.key)) {
            targets.get(0).exec("TRUNCATE ONLY " + qualify(r.load_schema, table.name));
            journal.mark_done("emptied:" + table.key);
        }
        auto split = std::make_unique<SplitTable>();
        split->table = &table;
        split->entry = &entry;
        for (std::size_t i = 0; i < entry.chunks.size(); ++i) {
            const auto key = fmt::format("chunk:{}:{}", table.key, i);
            if (auto done = journal.done_detail(key)) {
                RowChecksum part;
                if (!RowChecksum::parse(done->value("rows", std::uint64_t{0}),
                                        done->value("checksum", std::string()), part))
                    throw Error(ErrorKind::internal, "journal entry " + key + " is damaged");
                split->loaded.merge(part);
                continue;
            }
            ++split->remaining;
            jobs.push_back({entry.chunks[i].raw_bytes, [&, sp = split.get(), i, key](std::size_t worker) {
                                const auto& chunk = sp->entry->chunks[i];
                                auto part = with_context(
                                    "loading table " + quote_ident(sp->table->name),
                                    [&] { return load_chunk(im, targets.get(worker), *sp->table, chunk); });
                                journal.mark_done(key, {{"rows", part.rows()}, {"checksum", part.hex()}});
                                bool last = false;
                                {
                                    std::lock_guard lock(sp->mutex);
                                    sp->loaded.merge(part);
                                    last = --sp->remaining == 0;
                                }
                                if (last) finish_split_table(im, *sp, journal, progress);
                            }});
        }
        if (split->remaining == 0) finish_split_table(im, *split, journal, progress);
        splits.push_back(std::move(split));
    }
    std::stable_sort(jobs.begin(), jobs.end(),
                     [](const SizedJob& a, const SizedJob& b) { return a.bytes > b.bytes; });
    std::vector<Job> ordered;
    for (auto& j : jobs) ordered.push_back(std::move(j.job));
    run_jobs(r.request.jobs, std::move(ordered));
}

}  // namespace

Plan build_import_plan(const Request& request, RunResult& result) {
    auto im = std::make_shared<ImportRun>();
    im->store = open_store(request.store_url);
    im->dump_dir = request.dump_path.empty() ? find_dump_set(*im->store, request) : request.dump_path;
    while (!im->dump_dir.empty() && im->dump_dir.back() == '/') im->dump_dir.pop_back();
    im->manifest = dumpset::read_manifest(*im->store, im->dump_dir);
    const auto& m = im->manifest;
    if (m.schema != request.source_schema)
        throw Error(ErrorKind::usage,
                    fmt::format("dump set {} holds schema {}, not {}", im->dump_dir, quote_ident(m.schema),
                                quote_ident(request.source_schema)),
                    fmt::format("write --remap-schema {}:{}", m.schema, request.target_schema));
    im->run = std::make_shared<PgRun>(request, result);
    auto& run = *im->run;
    run.catalog = read_ddl(*im->store, im->dump_dir, m);
    run.source_version = m.server_version;
    run.source_database = m.database;
    for (const auto& t : m.tables) im->by_key[t.key] = &t;
    for (const auto& t : run.catalog.tables)
        if (!im->by_key.count(t.key))
            throw Error(ErrorKind::corrupt_artefact,
                        fmt::format("manifest of {} has no data entry for table {}", im->dump_dir,
                                    quote_ident(t.name)));
    connect_target(run);
    for (auto& w : remap_warnings(run.catalog, request.target_schema))
        result.warnings.push_back(std::move(w));

    Plan plan("import");
    plan.add(
        {"read-dump-set", "read the manifest and DDL of the dump set",
         fmt::format("{} in {}: schema {} of database {} (server {}), exported {}; {} objects, {} tables",
                     im->dump_dir, im->store->display_url(), quote_ident(m.schema), quote_ident(m.database),
                     m.server_version, m.created_at, run.catalog.entries.size(), run.catalog.tables.size()),
         [](StepContext&) {}, true});
    add_prepare_steps(plan, im->run);
    plan.add(
        {"load-data", fmt::format("load table rows from the chunks, {} jobs", request.jobs),
         "a table of one chunk in one transaction (COPY FREEZE), bigger tables one transaction per chunk in "
         "parallel;\n"
         "every chunk's sha256 is checked before its COMMIT, every table's row checksum against the manifest",
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
