#include "dumpset/set_check.h"

#include "core/error.h"
#include "core/interrupt.h"
#include "core/row_checksum.h"
#include "core/worker_pool.h"
#include "dumpset/chunk_reader.h"
#include "dumpset/layout.h"

namespace dbclone::dumpset {

namespace {

std::string table_label(const TableEntry& t) {
    return "table " + t.name + " (" + t.key + ")";
}

// Reads every chunk of one table as the loader will, and checks the rows
// they hold against the table's entry.
void check_table(Store& store, const std::string& dump_dir, const TableEntry& table) {
    RowChecksum checksum;
    for (const auto& chunk : table.chunks)
        read_chunk(store, dump_dir, chunk, [&](const char* d, std::size_t n) {
            checksum.add_stream(d, n);
            check_interrupted();  // per 256 KiB piece
        });
    if (!checksum.stream_complete())
        throw Error(ErrorKind::corrupt_artefact,
                    "the last row of " + table_label(table) + " in dump set " + dump_dir + " is cut off",
                    "the dump set was damaged; export again");
    if (checksum.rows() != table.rows || checksum.hex() != table.checksum)
        throw Error(ErrorKind::corrupt_artefact,
                    "rows of " + table_label(table) + " in dump set " + dump_dir +
                        " differ from the manifest: " + std::to_string(checksum.rows()) + " rows, checksum " +
                        checksum.hex() + "; the manifest says " + std::to_string(table.rows) +
                        " rows, checksum " + table.checksum,
                    "the dump set or its manifest was edited or damaged; export again");
}

}  // namespace

void check_chunk_sizes(Store& store, const std::string& dump_dir, const Manifest& manifest) {
    for (const auto& table : manifest.tables)
        for (const auto& chunk : table.chunks) {
            const auto path = join_path(dump_dir, chunk.path);
            auto info = store.stat(path);
            if (!info)
                throw Error(ErrorKind::corrupt_artefact,
                            "chunk " + chunk.path + " of " + table_label(table) +
                                " is missing from dump set " + dump_dir,
                            "the dump set is incomplete or was damaged; export again");
            if (info->size != chunk.bytes)
                throw Error(ErrorKind::corrupt_artefact,
                            "chunk " + chunk.path + " of " + table_label(table) +
                                " size mismatch: expected " + std::to_string(chunk.bytes) + " bytes, found " +
                                std::to_string(info->size) + (info->size < chunk.bytes ? " (truncated)" : ""),
                            "the dump set was damaged; export again");
        }
}

void check_dump_set(Store& store, const std::string& dump_dir, const Manifest& manifest,
                    std::size_t workers) {
    check_chunk_sizes(store, dump_dir, manifest);
    std::vector<SizedJob> jobs;
    for (const auto& table : manifest.tables) {
        std::uint64_t bytes = 0;
        for (const auto& c : table.chunks) bytes += c.bytes;
        jobs.push_back({bytes, [&store, &dump_dir, &table](std::size_t) {
                            with_context("checking " + table_label(table),
                                         [&] { check_table(store, dump_dir, table); });
                        }});
    }
    run_jobs_largest_first(workers < 1 ? 1 : workers, std::move(jobs));
}

}  // namespace dbclone::dumpset
