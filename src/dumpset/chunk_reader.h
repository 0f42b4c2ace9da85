// Reads the chunks of a dump set back, checking each against its manifest
// entry: stored size and SHA-256, then the decompressed size and row count.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "dumpset/manifest.h"
#include "store/store.h"

namespace dbclone::dumpset {

constexpr std::size_t kChunkReadPiece = 256 * 1024;

// Streams the decompressed COPY text of the chunk to on_data, in pieces of up
// to kChunkReadPiece bytes (not aligned to rows). The checks complete only at
// the end, after data went out: a caller that must not load bad data calls
// verify_chunk() first, or loads inside a transaction it can roll back.
// A missing or damaged chunk is an Error(corrupt_artefact) naming its path.
void read_chunk(Store& store, const std::string& dump_dir, const ChunkEntry& chunk,
                const std::function<void(const char*, std::size_t)>& on_data);

// Checks only the stored bytes (size and SHA-256) without decompressing;
// returns the SHA-256 found, which equals chunk.sha256.
std::string verify_chunk(Store& store, const std::string& dump_dir, const ChunkEntry& chunk);

}  // namespace dbclone::dumpset
