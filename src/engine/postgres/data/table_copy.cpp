#include "engine/postgres/data/table_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/row_checksum.h"
#include "core/worker_pool.h"
#include "engine/postgres/data/large_values.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {
std::string column_list(const TableData& table) {
    std::string out;
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        out += (i ? ", " : "") + quote_ident(table.columns[i]);
    return out;
}
}  // namespace

std::string block_range_condition(const BlockRange& range, const char* joiner) {
    std::string out = fmt::format("{}ctid >= '({},0)'::tid", joiner, range.first);
    if (range.end) out += fmt::format(" AND ctid < '({},0)'::tid", range.end);
    return out;
}

std::string copy_out_sql(const std::string& schema, const TableData& table, const BlockRange* range,
                         const std::string& condition) {
    // COPY's binary format where the table's types allow (catalog.h).
    const char* format = table.binary_copy ? " (FORMAT binary)" : "";
    std::string where;
    if (range) where = block_range_condition(*range, " WHERE ");
    if (!condition.empty()) where += (where.empty() ? " WHERE " : " AND ") + condition;
    // A table with no copyable columns (all generated, or none) still has rows.
    if (table.columns.empty())
        return fmt::format("COPY (SELECT FROM ONLY {}{}) TO STDOUT", qualify(schema, table.name), where);
    if (where.empty() && table.text_columns.empty())
        return fmt::format("COPY {} ({}) TO STDOUT{}", qualify(schema, table.name), column_list(table),
                           format);
    std::string select;
    for (const auto& c : table.columns) {
        bool as_text =
            std::find(table.text_columns.begin(), table.text_columns.end(), c) != table.text_columns.end();
        select += (select.empty() ? "" : ", ") + quote_ident(c) + (as_text ? "::text" : "");
    }
    return fmt::format("COPY (SELECT {} FROM ONLY {}{}) TO STDOUT{}", select, qualify(schema, table.name),
                       where, format);
}

std::vector<BlockRange> block_ranges(std::uint64_t table_bytes, std::uint64_t part_bytes,
                                     std::uint64_t block_size) {
    if (part_bytes == 0 || block_size == 0 || table_bytes < 2 * part_bytes) return {BlockRange{}};
    const std::uint64_t blocks = table_bytes / block_size;
    const std::uint64_t per_part = std::max<std::uint64_t>(1, part_bytes / block_size);
    std::vector<BlockRange> out;
    for (std::uint64_t first = 0; first < blocks; first += per_part) out.push_back({first, first + per_part});
    out.back().end = 0;
    return out;
}

RowChecksum empty_rows_checksum(std::uint64_t rows) {
    RowChecksum c;
    for (std::uint64_t i = 0; i < rows; ++i) c.add_row("\n", 1);
    return c;
}

std::string copy_in_sql(const std::string& schema, const TableData& table, bool freeze) {
    std::string options;
    if (table.binary_copy) options = "FORMAT binary";
    if (freeze) options += options.empty() ? "FREEZE" : ", FREEZE";
    return fmt::format("COPY {} ({}) FROM STDIN{}", qualify(schema, table.name), column_list(table),
                       options.empty() ? "" : " WITH (" + options + ")");
}

RowChecksum stream_table(Connection& source, Connection& target, const std::string& source_schema,
                         const std::string& target_schema, const TableData& table, bool truncate_first,
                         const BlockRange* range) {
    if (table.columns.empty()) {
        // COPY FROM needs a column; rows of a column-less table are just a count.
        auto n = source.query(fmt::format("SELECT count(*) FROM ONLY {}", qualify(source_schema, table.name)))
                     .get(0, 0);
        in_transaction(target, [&] {
            if (truncate_first) target.exec("TRUNCATE ONLY " + qualify(target_schema, table.name));
            target.exec(fmt::format("INSERT INTO {} SELECT FROM generate_series(1, {})",
                                    qualify(target_schema, table.name), n));
        });
        return empty_rows_checksum(std::stoull(n));
    }
    RowChecksum checksum;
    in_transaction(target, [&] {
        // TRUNCATE in the same transaction lets COPY FREEZE write frozen rows
        // (no later anti-wraparound vacuum of the whole copy).
        if (truncate_first) target.exec("TRUNCATE ONLY " + qualify(target_schema, table.name));
        std::uint64_t loaded =
            target.copy_in(copy_in_sql(target_schema, table, truncate_first), [&](Connection::CopyIn& in) {
                // A signal stops a big table mid-stream; its transaction rolls back.
                checksum = copy_out_rows(source, source_schema, table, range,
                                         [&](const char* data, std::size_t n) { in.put(data, n); });
            });
        if (loaded != checksum.rows())
            throw Error(ErrorKind::internal,
                        fmt::format("target loaded {} rows but source sent {}", loaded, checksum.rows()));
    });
    return checksum;
}

void copy_rows_relative_to(Connection& conn, const std::string& schema) {
    conn.set("search_path", quote_ident(schema) + ", pg_catalog");
}

RowChecksum checksum_table(Connection& conn, const std::string& schema, const TableData& table) {
    if (table.columns.empty()) {
        auto n =
            conn.query(fmt::format("SELECT count(*) FROM ONLY {}", qualify(schema, table.name))).get(0, 0);
        return empty_rows_checksum(std::stoull(n));
    }
    return copy_out_rows(conn, schema, table);
}

namespace {

using OnData = std::function<void(const char*, std::size_t)>;

// The COPY TO STDOUT row loop: rows into `checksum` and the stream, as it
// came, to on_data. keep_trailer false: a binary stream's trailer is not
// passed on (more rows follow it).
void copy_rows(Connection& conn, const std::string& copy_sql, bool binary, RowChecksum& checksum,
               const OnData& on_data, bool keep_trailer) {
    BinaryCopyRows rows;
    conn.copy_out(copy_sql, [&](const char* message, std::size_t n) {
        // The target gets the stream as it came (header and trailer too);
        // the checksum covers rows only, so both sides' agree.
        if (!binary) {
            if (on_data) on_data(message, n);
            checksum.add_row(message, n);
        } else if (auto row = rows.row_of(message, n)) {
            if (on_data) on_data(message, n);
            checksum.add_row(row->data(), row->size());
        } else {
            // The header alone, the trailer, or (no rows) both in one message.
            if (on_data && (keep_trailer || !rows.ended()))
                on_data(message, n);
            else if (on_data && n > 2)
                on_data(message, n - 2);
            return;
        }
        if ((checksum.rows() & kInterruptCheckRows) == 0) check_interrupted();
    });
    if (binary && !rows.ended())
        throw Error(ErrorKind::internal, "COPY binary stream ended without its trailer");
}

// The TID scans of the rows with large values take this many at a time.
constexpr std::size_t kLargeRowsPerCopy = 1000;

// A table with large values (data/large_values.h): the rows without one
// as a plain COPY (the value checks cost it a few per cent), then the rows
// with one, found by a scan that reads no value and read by ctid in head
// and piece rows. All in one snapshot: the source's, or a REPEATABLE READ
// transaction of its own. The pieces of a row follow its head only in a
// plan without parallel workers (a Gather interleaves its workers' rows):
// SET LOCAL keeps that to this transaction.
RowChecksum copy_out_in_pieces(Connection& conn, const std::string& schema, const TableData& table,
                               const BlockRange* range, const OnData& on_data) {
    RowChecksum checksum;
    const bool binary = table.binary_copy;
    auto copy = [&] {
        std::vector<std::string> large_rows;
        auto found = conn.query(large_rows_sql(schema, table, range));
        large_rows.reserve(static_cast<std::size_t>(found.rows()));
        for (int i = 0; i < found.rows(); ++i) large_rows.push_back(found.get(i, 0));
        if (!large_rows.empty()) conn.exec("SET LOCAL max_parallel_workers_per_gather = 0");
        copy_rows(
            conn,
            copy_out_sql(schema, table, range, "NOT coalesce(" + large_row_condition(table) + ", false)"),
            binary, checksum, on_data, false);
        PiecewiseRows pieces(table, binary, checksum, on_data);
        for (std::size_t at = 0; at < large_rows.size(); at += kLargeRowsPerCopy) {
            const auto batch = std::span<const std::string>(large_rows)
                                   .subspan(at, std::min(kLargeRowsPerCopy, large_rows.size() - at));
            pieces.start_stream();
            conn.copy_out(piecewise_copy_sql(schema, table, batch, binary),
                          [&](const char* message, std::size_t n) {
                              pieces.message(message, n);
                              check_interrupted();
                          });
        }
        pieces.finish();
        if (binary && on_data) on_data("\xff\xff", 2);  // the trailer held back
    };
    if (conn.in_transaction_block())
        copy();
    else
        in_transaction(conn, copy, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    return checksum;
}

}  // namespace

RowChecksum copy_out_rows(Connection& conn, const std::string& schema, const TableData& table,
                          const BlockRange* range, const OnData& on_data) {
    if (!table.large_values.empty() && !table.columns.empty())
        return copy_out_in_pieces(conn, schema, table, range, on_data);
    RowChecksum checksum;
    copy_rows(conn, copy_out_sql(schema, table, range), table.binary_copy, checksum, on_data, true);
    return checksum;
}

std::optional<std::string_view> BinaryCopyRows::row_of(const char* message, std::size_t n) {
    // "PGCOPY\n\377\r\n\0", int32 flags, int32 header-extension length, extension.
    static constexpr char kSignature[] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0'};
    std::string_view rest(message, n);
    if (!header_seen_) {
        if (rest.size() < 19 ||
            rest.compare(0, sizeof kSignature, std::string_view(kSignature, sizeof kSignature)) != 0)
            throw Error(ErrorKind::internal, "COPY binary stream does not start with its header");
        const auto* p = reinterpret_cast<const unsigned char*>(message) + 15;
        const std::size_t extension =
            (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) | (std::size_t{p[2]} << 8) | p[3];
        if (rest.size() < 19 + extension) throw Error(ErrorKind::internal, "COPY binary header is cut short");
        rest.remove_prefix(19 + extension);
        header_seen_ = true;
        if (rest.empty()) return std::nullopt;
    }
    // The trailer is a field count of -1; a row starts with its field count (>= 0).
    if (rest.size() == 2 && static_cast<unsigned char>(rest[0]) == 0xFF &&
        static_cast<unsigned char>(rest[1]) == 0xFF) {
        ended_ = true;
        return std::nullopt;
    }
    return rest;
}

}  // namespace dbclone::pg
