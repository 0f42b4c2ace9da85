#include "dumpset/chunk_writer.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "dumpset/layout.h"
#include "store/filter/hashing_stream.h"

namespace dbclone::dumpset {

// The filters of one chunk: rows → zstd → sha256/count → store object.
// Members are destroyed bottom-up, so the object is discarded last.
struct ChunkWriter::OpenChunk {
    OpenChunk(std::unique_ptr<WriteStream> out, std::string chunk_path, const ZstdOptions& options)
        : file(std::move(out)), hashing(*file), zstd(hashing, options), path(std::move(chunk_path)) {}
    std::unique_ptr<WriteStream> file;
    HashingWriter hashing;
    ZstdWriter zstd;
    std::string path;
    std::uint64_t rows = 0;
    std::uint64_t raw_bytes = 0;
};

ChunkWriter::ChunkWriter(Store& store, std::string dump_dir, std::string table_key,
                         std::uint64_t chunk_raw_bytes, ZstdOptions zstd)
    : store_(store),
      dump_dir_(std::move(dump_dir)),
      table_key_(std::move(table_key)),
      limit_(chunk_raw_bytes),
      zstd_(zstd) {
    if (limit_ == 0) throw Error(ErrorKind::usage, "chunk size must be greater than zero");
    chunk_path(table_key_, 1);  // validates the key before any data arrives
}

ChunkWriter::~ChunkWriter() = default;

void ChunkWriter::open_chunk() {
    std::string path = chunk_path(table_key_, done_.size() + 1);
    current_ = std::make_unique<OpenChunk>(store_.open_write(join_path(dump_dir_, path)), path, zstd_);
}

void ChunkWriter::close_chunk() {
    OpenChunk& c = *current_;
    c.zstd.finish();
    c.hashing.commit();
    done_.push_back(ChunkEntry{c.path, c.hashing.bytes(), c.hashing.hex_digest(), c.rows, c.raw_bytes});
    current_.reset();
}

void ChunkWriter::write_rows(const char* data, std::size_t n) {
    if (finished_)
        throw Error(ErrorKind::internal, "rows written to the finished chunks of table " + table_key_);
    const char* end = data + n;
    while (data < end) {
        if (!current_) open_chunk();
        OpenChunk& c = *current_;
        const char* take_end = end;
        // A row cut between calls goes whole into the chunk it began in.
        // Otherwise take rows up to the one that reaches the limit (the row
        // that crosses it goes whole into this chunk), or all of them.
        const char* search_from = data;
        if (!mid_row_) {
            std::uint64_t room = limit_ - c.raw_bytes;  // > 0: a full chunk is closed at once
            search_from = room < static_cast<std::uint64_t>(end - data) ? data + room - 1 : nullptr;
        }
        if (search_from) {
            auto* nl = static_cast<const char*>(
                std::memchr(search_from, '\n', static_cast<std::size_t>(end - search_from)));
            if (nl) take_end = nl + 1;
        }
        auto len = static_cast<std::size_t>(take_end - data);
        c.zstd.write(data, len);
        c.rows += static_cast<std::uint64_t>(std::count(data, take_end, '\n'));
        c.raw_bytes += len;
        data = take_end;
        mid_row_ = take_end[-1] != '\n';
        if (!mid_row_ && c.raw_bytes >= limit_) close_chunk();
    }
}

std::vector<ChunkEntry> ChunkWriter::finish() {
    if (finished_) return done_;
    if (mid_row_) throw Error(ErrorKind::internal, "the rows of table " + table_key_ + " end inside a row");
    if (current_) close_chunk();
    finished_ = true;
    return done_;
}

}  // namespace dbclone::dumpset
