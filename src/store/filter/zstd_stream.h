// Zstandard compression as stream filters: chunks of a dump set are stored
// compressed, and neither side ever holds a whole chunk in memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

// libzstd's context types, declared here so that users need not include zstd.h.
struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace dbclone {

struct ZstdOptions {
    static constexpr int kDefaultLevel = 3;
    int level = kDefaultLevel;
    // 0 compresses on the calling thread: dbclone already runs one job per
    // table, and zstd's own workers would compete with them for cores.
    int workers = 0;
};

// Compresses what is written into one zstd frame (with zstd's content
// checksum) written to `inner`. finish() ends the frame; commit() finishes
// and commits `inner`. Without either, the frame is left incomplete.
class ZstdWriter final : public WriteStream {
public:
    explicit ZstdWriter(WriteStream& inner, ZstdOptions options = {});
    ~ZstdWriter() override;
    ZstdWriter(const ZstdWriter&) = delete;
    ZstdWriter& operator=(const ZstdWriter&) = delete;

    void write(const char* data, std::size_t n) override;
    void finish();
    void commit() override;

private:
    struct CtxFree {
        void operator()(ZSTD_CCtx_s* ctx) const;
    };
    void compress(const char* data, std::size_t n, int directive);

    WriteStream& inner_;
    std::unique_ptr<ZSTD_CCtx_s, CtxFree> ctx_;
    std::vector<char> out_;
    bool finished_ = false;
};

// Decompresses the zstd frame(s) read from `inner`. Throws corrupt_artefact,
// naming `name`, on damaged data or when `inner` ends inside a frame.
class ZstdReader final : public ReadStream {
public:
    explicit ZstdReader(ReadStream& inner, std::string name = "zstd stream");
    ~ZstdReader() override;
    ZstdReader(const ZstdReader&) = delete;
    ZstdReader& operator=(const ZstdReader&) = delete;

    std::size_t read(char* buffer, std::size_t n) override;

private:
    struct CtxFree {
        void operator()(ZSTD_DCtx_s* ctx) const;
    };
    std::size_t decompress(char* buffer, std::size_t n);

    ReadStream& inner_;
    std::string name_;
    std::unique_ptr<ZSTD_DCtx_s, CtxFree> ctx_;
    std::vector<char> in_;
    std::size_t in_pos_ = 0;
    std::size_t in_size_ = 0;
    bool eof_ = false;
    // zstd's last return: 0 once a frame is complete and fully flushed.
    std::size_t frame_pending_ = 1;
};

}  // namespace dbclone
