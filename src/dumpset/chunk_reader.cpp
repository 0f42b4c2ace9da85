#include "dumpset/chunk_reader.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "core/error.h"
#include "dumpset/layout.h"
#include "store/filter/hashing_stream.h"
#include "store/filter/zstd_stream.h"

namespace dbclone::dumpset {

namespace {

std::unique_ptr<ReadStream> open_chunk(Store& store, const std::string& dump_dir, const ChunkEntry& chunk) {
    try {
        return store.open_read(join_path(dump_dir, chunk.path));
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        throw Error(ErrorKind::corrupt_artefact,
                    "chunk " + chunk.path + " is missing from dump set " + dump_dir,
                    "the dump set is incomplete or was damaged; export again");
    }
}

// Reads what is left, so the size and digest cover the whole object.
void drain(ReadStream& in) {
    std::vector<char> buffer(kChunkReadPiece);
    while (in.read(buffer.data(), buffer.size()) > 0) {
    }
}

// Size first: a short object is more clearly "truncated" than "mismatched".
void check_stored(const ChunkEntry& chunk, HashingReader& hashed) {
    if (hashed.bytes() != chunk.bytes)
        throw Error(ErrorKind::corrupt_artefact, "chunk " + chunk.path + " size mismatch: expected " +
                                                     std::to_string(chunk.bytes) + " bytes, found " +
                                                     std::to_string(hashed.bytes()));
    std::string found = hashed.hex_digest();
    if (found != chunk.sha256)
        throw Error(ErrorKind::corrupt_artefact, "chunk " + chunk.path + " checksum mismatch: expected " +
                                                     chunk.sha256 + ", found " + found);
}

}  // namespace

void read_chunk(Store& store, const std::string& dump_dir, const ChunkEntry& chunk,
                const std::function<void(const char*, std::size_t)>& on_data) {
    auto file = open_chunk(store, dump_dir, chunk);
    HashingReader hashed(*file);
    ZstdReader unzstd(hashed, "chunk " + chunk.path);
    std::vector<char> buffer(kChunkReadPiece);
    std::uint64_t raw_bytes = 0;
    std::uint64_t rows = 0;
    try {
        for (std::size_t n; (n = unzstd.read(buffer.data(), buffer.size())) > 0;) {
            raw_bytes += n;
            rows += static_cast<std::uint64_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
            on_data(buffer.data(), n);
        }
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::corrupt_artefact) throw;
        // Damaged stored bytes are best reported as what they are: a size or
        // checksum mismatch against the manifest.
        drain(hashed);
        check_stored(chunk, hashed);
        throw;
    }
    drain(hashed);  // bytes after the zstd frame would be caught by zstd; be sure anyway
    check_stored(chunk, hashed);
    if (raw_bytes != chunk.raw_bytes || rows != chunk.rows)
        throw Error(ErrorKind::corrupt_artefact,
                    "chunk " + chunk.path + " holds " + std::to_string(rows) + " rows, " +
                        std::to_string(raw_bytes) + " bytes; the manifest says " +
                        std::to_string(chunk.rows) + " rows, " + std::to_string(chunk.raw_bytes) + " bytes");
}

std::string verify_chunk(Store& store, const std::string& dump_dir, const ChunkEntry& chunk) {
    auto file = open_chunk(store, dump_dir, chunk);
    HashingReader hashed(*file);
    drain(hashed);
    check_stored(chunk, hashed);
    return hashed.hex_digest();
}

}  // namespace dbclone::dumpset
