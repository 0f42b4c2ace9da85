// Writes one table's COPY text rows into the zstd-compressed chunks of a dump
// set, starting a new chunk at a row boundary once the current one holds
// `chunk_raw_bytes` of uncompressed text, and records each chunk's stored size,
// SHA-256, rows and raw size for the manifest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dumpset/manifest.h"
#include "store/filter/zstd_stream.h"
#include "store/store.h"

namespace dbclone::dumpset {

class ChunkWriter {
public:
    ChunkWriter(Store& store, std::string dump_dir, std::string table_key, std::uint64_t chunk_raw_bytes,
                ZstdOptions zstd = {});
    // Discards an unfinished chunk (it is never committed); chunks already
    // committed stay, and are overwritten by a rerun.
    ~ChunkWriter();
    ChunkWriter(const ChunkWriter&) = delete;
    ChunkWriter& operator=(const ChunkWriter&) = delete;

    // `data` is COPY text, cut anywhere: a row may continue in the next call
    // (a large value comes in pieces), and a chunk ends only where a row does.
    void write_rows(const char* data, std::size_t n);
    // Commits the last chunk; returns every chunk in order. No rows, no chunks.
    // An Error(internal) when the rows written end inside a row.
    std::vector<ChunkEntry> finish();

private:
    struct OpenChunk;
    void open_chunk();
    void close_chunk();

    Store& store_;
    std::string dump_dir_;
    std::string table_key_;
    std::uint64_t limit_;
    ZstdOptions zstd_;
    std::unique_ptr<OpenChunk> current_;
    std::vector<ChunkEntry> done_;
    bool finished_ = false;
    bool mid_row_ = false;  // the last write ended inside a row
};

}  // namespace dbclone::dumpset
