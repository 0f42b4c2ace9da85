// Writing one dump set: choosing its directory, ddl.json, every table's chunks,
// the export log and, last, manifest.json. An engine hands it the DDL text,
// each table's rows (COPY text) and the table list; the Writer owns every
// dump-set detail. What a resumed export needs (directory, creation time, DDL
// checksum, each table's chunks) is kept in the run's journal, so the manifest
// is assembled from there whichever attempt wrote a table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/journal.h"
#include "dumpset/chunk_writer.h"
#include "dumpset/manifest.h"
#include "store/store.h"

namespace dbclone::dumpset {

// What the dump set is of: where it goes in the store.
struct DumpSetOrigin {
    std::string retention;
    std::string database;
    std::string schema;
};

// "<retention>/<database>/schema/<schema>/<timestamp>/ in <store>", for plans.
std::string planned_location(const Store& store, const DumpSetOrigin& origin);

class Writer {
public:
    // Reopens the directory an earlier attempt journaled, or chooses a new one
    // (named by the current second; a taken name waits for the next second, a
    // few times, then Error(target_exists)) and journals it. The export log is
    // kept under work_dir, named after the dump set, until finish() stores it.
    Writer(Store& store, Journal& journal, DumpSetOrigin origin, const std::filesystem::path& work_dir);

    const std::string& dir() const { return dir_; }
    Store& store() { return store_; }
    // Local file the export log is written to (log::set_file) until finish().
    const std::filesystem::path& local_log() const { return local_log_; }

    // ddl.json; its SHA-256 goes into the journal for the manifest.
    void write_ddl(const std::string& text);

    // The rows of one table, streamed into chunks. finish() journals the
    // chunks; before it nothing of the table counts.
    class TableRows {
    public:
        TableRows(Writer& writer, std::string table_key, std::uint64_t chunk_raw_bytes);
        // `data` is COPY text, cut anywhere (rows of large values come in
        // pieces); finish() needs the rows to have ended.
        void add(const char* data, std::size_t n);
        void finish();

    private:
        void flush_batch();
        static constexpr std::size_t kBatch = 256 * 1024;  // large chunk writes
        Writer& writer_;
        std::string key_;
        ChunkWriter chunks_;
        std::string batch_;
    };

    // Stores the export log, then manifest.json (last: it marks the dump set
    // complete). `manifest` carries what the engine knows (server version,
    // snapshot, objects, extra, and every table with its rows and checksum);
    // the Writer fills in the rest: tool version, database, schema, creation
    // time, DDL checksum and each table's chunks (a table without journaled
    // chunks had no rows). With `sign_key`, manifest.json.sig is stored
    // just before the manifest (dumpset/signature.h).
    void finish(Manifest manifest, const std::filesystem::path& sign_key = {});

private:
    Store& store_;
    Journal& journal_;
    DumpSetOrigin origin_;
    std::string dir_;
    std::filesystem::path local_log_;
};

}  // namespace dbclone::dumpset
