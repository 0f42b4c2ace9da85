// Content checksum of a table: the row count plus the sum (mod 2^64) of the
// XXH3 hash of every row's text. A sum does not depend on row order, so two
// servers returning the same rows in different physical order agree, and it
// can be computed while the rows stream past, at no extra scan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace dbclone {

class RowChecksum {
public:
    void add_row(const char* data, std::size_t n);
    // Rows of a COPY text stream: each ends with '\n' (a newline inside a
    // value is escaped), so a buffer of whole rows is split on '\n'.
    void add_rows(const char* data, std::size_t n);
    // Bytes of a COPY text stream cut anywhere (decompressed chunk pieces):
    // a row split between calls is hashed as its pieces arrive (XXH3's
    // streaming state gives the one-shot hash), never held whole, so a row
    // of a 200 MiB value costs no memory here.
    void add_stream(const char* data, std::size_t n);
    // One row given in pieces (any format): add_row_piece for each, then
    // end_row; the same sum as add_row of the whole, without holding it.
    void add_row_piece(const char* data, std::size_t n);
    void end_row();
    // True when the stream ended on a row boundary.
    bool stream_complete() const { return partial_ == nullptr; }

    RowChecksum() = default;
    ~RowChecksum();
    RowChecksum(const RowChecksum& other);
    RowChecksum& operator=(const RowChecksum& other);
    RowChecksum(RowChecksum&& other) noexcept = default;
    RowChecksum& operator=(RowChecksum&& other) noexcept = default;
    // Checksums of disjoint parts of a table add up to the table's.
    void merge(const RowChecksum& other) {
        rows_ += other.rows_;
        sum_ += other.sum_;
    }
    // Back from rows() and hex() (as kept in a journal); false on a bad hex.
    static bool parse(std::uint64_t rows, const std::string& hex, RowChecksum& out);
    std::uint64_t rows() const { return rows_; }
    std::string hex() const;  // 16 hex digits
    bool operator==(const RowChecksum& other) const { return rows_ == other.rows_ && sum_ == other.sum_; }

private:
    // The hash so far of a row cut between add_stream calls; null at a row boundary.
    struct Partial;
    struct PartialDeleter {
        void operator()(Partial* p) const;
    };
    std::uint64_t rows_ = 0;
    std::uint64_t sum_ = 0;
    std::unique_ptr<Partial, PartialDeleter> partial_;
};

}  // namespace dbclone
