#include "store/filter/zstd_stream.h"

#include <zstd.h>

#include "core/error.h"

namespace dbclone {

namespace {

void check_c(std::size_t rc, const char* what) {
    if (ZSTD_isError(rc)) throw Error(ErrorKind::internal, std::string(what) + ": " + ZSTD_getErrorName(rc));
}

}  // namespace

void ZstdWriter::CtxFree::operator()(ZSTD_CCtx_s* ctx) const {
    ZSTD_freeCCtx(ctx);
}

ZstdWriter::ZstdWriter(WriteStream& inner, ZstdOptions options)
    : inner_(inner), ctx_(ZSTD_createCCtx()), out_(ZSTD_CStreamOutSize()) {
    if (!ctx_) throw Error(ErrorKind::internal, "cannot create a zstd compression context");
    auto bounds = ZSTD_cParam_getBounds(ZSTD_c_compressionLevel);
    if (options.level < bounds.lowerBound || options.level > bounds.upperBound)
        throw Error(ErrorKind::usage, "zstd compression level " + std::to_string(options.level) +
                                          " is out of range " + std::to_string(bounds.lowerBound) + ".." +
                                          std::to_string(bounds.upperBound));
    check_c(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_compressionLevel, options.level),
            "cannot set the zstd compression level");
    check_c(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_checksumFlag, 1), "cannot enable zstd checksums");
    if (options.workers > 0)
        check_c(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_nbWorkers, options.workers),
                "cannot set zstd workers (libzstd built without multithreading?)");
}

ZstdWriter::~ZstdWriter() = default;

void ZstdWriter::compress(const char* data, std::size_t n, int directive) {
    auto mode = static_cast<ZSTD_EndDirective>(directive);
    ZSTD_inBuffer in{data, n, 0};
    for (;;) {
        ZSTD_outBuffer out{out_.data(), out_.size(), 0};
        std::size_t remaining = ZSTD_compressStream2(ctx_.get(), &out, &in, mode);
        check_c(remaining, "zstd compression failed");
        if (out.pos > 0) inner_.write(out_.data(), out.pos);
        // continue: done once all input is consumed; end: once the frame is flushed.
        bool done = mode == ZSTD_e_end ? remaining == 0 : in.pos == in.size;
        if (done) return;
    }
}

void ZstdWriter::write(const char* data, std::size_t n) {
    if (finished_) throw Error(ErrorKind::internal, "write to a finished zstd stream");
    if (n > 0) compress(data, n, ZSTD_e_continue);
}

void ZstdWriter::finish() {
    if (finished_) return;
    compress(nullptr, 0, ZSTD_e_end);
    finished_ = true;
}

void ZstdWriter::commit() {
    finish();
    inner_.commit();
}

void ZstdReader::CtxFree::operator()(ZSTD_DCtx_s* ctx) const {
    ZSTD_freeDCtx(ctx);
}

ZstdReader::ZstdReader(ReadStream& inner, std::string name)
    : inner_(inner), name_(std::move(name)), ctx_(ZSTD_createDCtx()), in_(ZSTD_DStreamInSize()) {
    if (!ctx_) throw Error(ErrorKind::internal, "cannot create a zstd decompression context");
}

ZstdReader::~ZstdReader() = default;

std::size_t ZstdReader::decompress(char* buffer, std::size_t n) {
    ZSTD_outBuffer out{buffer, n, 0};
    ZSTD_inBuffer in{in_.data(), in_size_, in_pos_};
    std::size_t rc = ZSTD_decompressStream(ctx_.get(), &out, &in);
    if (ZSTD_isError(rc))
        throw Error(ErrorKind::corrupt_artefact,
                    "corrupt zstd data in " + name_ + ": " + ZSTD_getErrorName(rc));
    in_pos_ = in.pos;
    frame_pending_ = rc;
    return out.pos;
}

std::size_t ZstdReader::read(char* buffer, std::size_t n) {
    if (n == 0) return 0;
    for (;;) {
        if (in_pos_ == in_size_ && !eof_) {
            in_size_ = inner_.read(in_.data(), in_.size());
            in_pos_ = 0;
            if (in_size_ == 0) eof_ = true;
        }
        if (in_pos_ == in_size_ && eof_) {
            if (frame_pending_ == 0) return 0;
            // Input is over, but zstd may still hold decoded bytes to flush.
            std::size_t got = decompress(buffer, n);
            if (got > 0) return got;
            if (frame_pending_ == 0) return 0;
            throw Error(ErrorKind::corrupt_artefact,
                        "truncated zstd data in " + name_ + ": the stream ends inside a frame");
        }
        std::size_t got = decompress(buffer, n);
        if (got > 0) return got;
    }
}

}  // namespace dbclone
