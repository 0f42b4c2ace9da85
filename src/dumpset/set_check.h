// Checks a whole dump set against its manifest before an import touches the
// target: every chunk exists with its recorded size (cheap, done for all
// chunks first, so a missing or truncated chunk is found at once), then every
// chunk's SHA-256, decompressed size and row count, and every table's row
// checksum. A dump set that passes can only fail to load for reasons of the
// target; the loader checks each chunk again before each COMMIT (the store
// may change underneath).
#pragma once

#include <cstddef>
#include <string>

#include "dumpset/manifest.h"
#include "store/store.h"

namespace dbclone::dumpset {

// Throws Error(corrupt_artefact) naming the first chunk or table found
// damaged (missing, truncated, checksum, rows). `workers` threads read
// tables in parallel, largest first. Honours SIGINT (check_interrupted).
void check_dump_set(Store& store, const std::string& dump_dir, const Manifest& manifest, std::size_t workers);

// The existence and size part alone (no data read).
void check_chunk_sizes(Store& store, const std::string& dump_dir, const Manifest& manifest);

}  // namespace dbclone::dumpset
