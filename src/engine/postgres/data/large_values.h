// Rows with large values, read without holding a value whole.
//
// libpq hands over a COPY row as one message, so a row with a 200 MiB bytea
// costs the client that much (twice in text, where bytea is hex) however
// the bytes are passed on. In a table that may hold such values
// (TableData::large_values), the rows with a value over one piece are found
// first (large_rows_sql) and left out of the table's plain COPY; they are
// then read by ctid with a query that gives each as a head row (its other
// values) followed by piece rows, one per slice of each large value. The
// server detoasts a large value once per row, as a plain COPY does, and
// cuts the slices from memory. PiecewiseRows puts those rows back together,
// byte for byte what a plain COPY gives, in pieces: the target, the dump
// set and the checksum see the same bytes, and no message is bigger than
// kLargeValuePieceBytes (twice that in hex). data/table_copy.cpp
// (copy_out_rows) runs the three in one snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/row_checksum.h"
#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/data/table_copy.h"

namespace dbclone::pg {

// A value longer than this (in bytes) is read in slices of this many bytes.
// Small enough that the few connections of a run, each holding a message
// in libpq and one in dbclone, stay well inside 64 MiB; large enough that a
// slice's row costs little next to its bytes.
inline constexpr std::int64_t kLargeValuePieceBytes = 1024 * 1024;

// The condition true for a row with a value over one piece in a large column.
std::string large_row_condition(const TableData& table);

// SELECT of the ctids of the rows with such a value (in `range`, if any).
std::string large_rows_sql(const std::string& schema, const TableData& table, const BlockRange* range);

// COPY ... TO STDOUT of the rows at `ctids` (from large_rows_sql, in the
// same snapshot) as head and piece rows; `binary` as
// TableData::binary_copy. The server must not run it in parallel (pieces
// of one row would interleave with others' rows): see copy_out_rows.
std::string piecewise_copy_sql(const std::string& schema, const TableData& table,
                               std::span<const std::string> ctids, bool binary);

// Turns the messages of piecewise_copy_sql back into the rows a plain COPY
// of the table gives (text rows, or binary tuples: the caller sends the
// binary header and trailer), handed to `out` in pieces, and adds every
// row to `checksum` as plain COPY rows would be. One instance reads the
// streams of several such COPYs, one after the other.
class PiecewiseRows {
public:
    using Out = std::function<void(const char*, std::size_t)>;
    PiecewiseRows(const TableData& table, bool binary, RowChecksum& checksum, Out out);
    // Before the messages of each COPY.
    void start_stream();
    void message(const char* data, std::size_t n);
    // The streams are complete: no row waits for pieces (binary: each
    // stream's trailer came). An Error(internal) otherwise.
    void finish() const;

private:
    struct Field {
        std::size_t offset = 0;  // in head_: binary, at its length word; text, at its text
        std::size_t size = 0;    // bytes from offset (binary: with the length word)
    };
    void head(const char* data, std::size_t n);
    void piece(const char* data, std::size_t n);
    void continue_row();  // hands on head fields up to the next large one, or ends the row
    void flush();         // out_ to out and the checksum
    void row_bytes(const char* data, std::size_t n);

    const TableData& table_;
    bool binary_;
    RowChecksum& checksum_;
    Out out_fn_;
    std::vector<int> large_of_column_;  // index into table_.large_values, or -1
    std::string head_;                  // the current head row
    std::vector<Field> fields_;         // the table's columns in head_
    std::vector<std::int64_t> pieces_;  // per column: pieces still to come, -1 if not in pieces
    std::vector<std::int64_t> bytes_;   // per column: the large value's length in bytes
    std::size_t next_column_ = 0;       // the next column to hand on
    bool in_row_ = false;
    bool first_piece_ = false;  // of the value being read
    std::int64_t piece_bytes_seen_ = 0;
    std::string out_;             // row bytes not yet handed on
    std::string escaped_;         // a text slice as COPY text
    BinaryCopyRows binary_rows_;  // of the current stream
};

}  // namespace dbclone::pg
