#include "engine/postgres/data/large_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string_view>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

[[noreturn]] void bad_stream(const TableData& table, const std::string& what) {
    throw Error(ErrorKind::internal,
                fmt::format("the rows of table {}, read in pieces, came back malformed: {}",
                            quote_ident(table.name), what));
}

std::uint32_t be32(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
}

std::int64_t be64(const char* p) {
    return static_cast<std::int64_t>((std::uint64_t{be32(p)} << 32) | be32(p + 4));
}

void put_be32(std::string& out, std::uint32_t v) {
    const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
    out.append(b, 4);
}

// The fields of one binary COPY tuple: offset of each length word and the
// field's size with it; -1 length (NULL) has no bytes.
std::vector<std::pair<std::size_t, std::size_t>> binary_fields(const TableData& table, std::string_view row) {
    if (row.size() < 2) bad_stream(table, "a row without its field count");
    const auto count =
        (std::size_t{static_cast<unsigned char>(row[0])} << 8) | static_cast<unsigned char>(row[1]);
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t at = 2;
    for (std::size_t i = 0; i < count; ++i) {
        if (at + 4 > row.size()) bad_stream(table, "a row cut short");
        const auto len = static_cast<std::int32_t>(be32(row.data() + at));
        const std::size_t size = 4 + (len < 0 ? 0 : static_cast<std::size_t>(len));
        if (at + size > row.size()) bad_stream(table, "a value cut short");
        out.emplace_back(at, size);
        at += size;
    }
    if (at != row.size()) bad_stream(table, "bytes after a row's last value");
    return out;
}

// The tab-separated fields of one text COPY row (its '\n' excluded): values
// are escaped, so a raw tab only ever separates.
std::vector<std::pair<std::size_t, std::size_t>> text_fields(const TableData& table, std::string_view row) {
    if (row.empty() || row.back() != '\n') bad_stream(table, "a row without its newline");
    row.remove_suffix(1);
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t at = 0;
    for (;;) {
        const auto tab = row.find('\t', at);
        out.emplace_back(at, (tab == std::string_view::npos ? row.size() : tab) - at);
        if (tab == std::string_view::npos) break;
        at = tab + 1;
    }
    return out;
}

std::int64_t text_int(const TableData& table, std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) bad_stream(table, "a number that is not one");
    return v;
}

// Text bytes given in hex, into COPY text: the escapes COPY TO writes
// (copyto.c, CopyAttributeOutText, for a client encoding such as UTF8 whose
// multibyte characters never contain ASCII bytes); false on a bad digit.
bool append_copy_text_from_hex(std::string& out, std::string_view hex) {
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    out.reserve(out.size() + hex.size());
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0) return false;
        const char c = static_cast<char>((hi << 4) | lo);
        char escape = 0;
        switch (c) {
            case '\b':
                escape = 'b';
                break;
            case '\f':
                escape = 'f';
                break;
            case '\n':
                escape = 'n';
                break;
            case '\r':
                escape = 'r';
                break;
            case '\t':
                escape = 't';
                break;
            case '\v':
                escape = 'v';
                break;
            case '\\':
                escape = '\\';
                break;
            default:
                break;
        }
        if (escape) {
            out.push_back('\\');
            out.push_back(escape);
        } else {
            out.push_back(c);
        }
    }
    return true;
}

// Whether a value is over one piece, read cheaply: bytea and text lengths
// come from the TOAST pointer; json, jsonb and xml have no such length
// (as text it costs the whole output), so their stored size decides (a
// value TOAST compressed below a piece is read whole).
std::string over_one_piece(const LargeValueColumn& l, const std::string& col) {
    return fmt::format("{}({}) > {}", l.kind == "b" || l.kind == "t" ? "octet_length" : "pg_column_size", col,
                       kLargeValuePieceBytes);
}

// The bytes COPY sends for the value: its send function in binary, its
// output (text, converted to the client encoding) in text. xml is read as
// ::text (catalog.h text_columns) and json's binary form is its text.
std::string sent_bytes(const LargeValueColumn& l, const std::string& col, bool binary) {
    if (l.kind == "b") return "byteasend(" + col + ")";
    if (l.kind == "t") return "textsend(" + col + ")";
    if (l.kind == "j" && binary) return "jsonb_send(" + col + ")";
    return "textsend(" + col + "::text)";
}

}  // namespace

std::string large_row_condition(const TableData& table) {
    std::string out;
    for (const auto& l : table.large_values)
        out += (out.empty() ? "" : " OR ") + over_one_piece(l, quote_ident(l.name));
    return "(" + out + ")";
}

std::string large_rows_sql(const std::string& schema, const TableData& table, const BlockRange* range) {
    return fmt::format("SELECT ctid FROM ONLY {} WHERE {}{}", qualify(schema, table.name),
                       large_row_condition(table), range ? block_range_condition(*range, " AND ") : "");
}

std::string piecewise_copy_sql(const std::string& schema, const TableData& table,
                               std::span<const std::string> ctids, bool binary) {
    // w: each row once, its large values (those over one piece) detoasted
    // once into g<j> as the bytes COPY would send (sent_bytes); h<i> the
    // other values.
    // q: the head row (k 0), then one row per slice of each g<j> (k = the
    // 1-based column, o = where the slice starts), cut in memory: linear in
    // the value's size whether or not TOAST compressed it.
    std::string inner, aliases, select = "q.k", pieces, lateral = "SELECT 0 AS k, 0 AS o";
    std::size_t large_index = 0;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const auto& name = table.columns[i];
        const std::string col = "r." + quote_ident(name);
        auto large = std::find_if(table.large_values.begin(), table.large_values.end(),
                                  [&](const LargeValueColumn& l) { return l.name == name; });
        const bool as_text =
            std::find(table.text_columns.begin(), table.text_columns.end(), name) != table.text_columns.end();
        const std::string value = col + (as_text ? "::text" : "");
        if (large == table.large_values.end()) {
            inner += (i ? ", " : "") + value;
        } else {
            inner += fmt::format("{}CASE WHEN {} THEN NULL ELSE {} END", i ? ", " : "",
                                 over_one_piece(*large, col), value);
        }
        aliases += fmt::format("{}h{}", i ? ", " : "", i);
        select += fmt::format(", CASE WHEN q.k = 0 THEN w.h{} END", i);
        if (large == table.large_values.end()) continue;
        const std::size_t j = large_index++;
        inner += fmt::format(", CASE WHEN {} THEN {} END", over_one_piece(*large, col),
                             sent_bytes(*large, col, binary));
        aliases += fmt::format(", g{}", j);
        pieces += fmt::format(
            ", CASE WHEN q.k = {0} THEN substring(w.g{1} FROM q.o FOR {2}) END"
            ", CASE WHEN q.k = 0 THEN ((octet_length(w.g{1}) + {3}) / {2})::int8 END"
            ", CASE WHEN q.k = 0 THEN octet_length(w.g{1})::int8 END",
            i + 1, j, kLargeValuePieceBytes, kLargeValuePieceBytes - 1);
        lateral += fmt::format(" UNION ALL SELECT {}, g FROM generate_series(1, octet_length(w.g{}), {}) g",
                               i + 1, j, kLargeValuePieceBytes);
    }
    // A TID scan: only the rows large_rows_sql found.
    std::string tids;
    for (const auto& t : ctids) tids += (tids.empty() ? "\"" : ",\"") + t + "\"";
    const std::string where = " WHERE r.ctid = ANY (" + quote_literal("{" + tids + "}") + "::tid[])";
    // OFFSET 0 keeps w a subquery of its own: evaluated once per row, not
    // once per slice.
    return fmt::format(
        "COPY (SELECT {}{} FROM (SELECT {} FROM ONLY {} AS r{} OFFSET 0) AS w({}) CROSS JOIN LATERAL ({}) AS "
        "q) TO "
        "STDOUT{}",
        select, pieces, inner, qualify(schema, table.name), where, aliases, lateral,
        binary ? " (FORMAT binary)" : "");
}

PiecewiseRows::PiecewiseRows(const TableData& table, bool binary, RowChecksum& checksum, Out out)
    : table_(table), binary_(binary), checksum_(checksum), out_fn_(std::move(out)) {
    for (const auto& c : table.columns) {
        auto it = std::find_if(table.large_values.begin(), table.large_values.end(),
                               [&](const LargeValueColumn& l) { return l.name == c; });
        large_of_column_.push_back(
            it == table.large_values.end() ? -1 : static_cast<int>(it - table.large_values.begin()));
    }
}

void PiecewiseRows::start_stream() {
    if (binary_ && binary_rows_.started() && !binary_rows_.ended())
        bad_stream(table_, "a stream ended without its trailer");
    binary_rows_ = BinaryCopyRows();
}

void PiecewiseRows::message(const char* data, std::size_t n) {
    std::string_view row(data, n);
    if (binary_) {
        // Header and trailer are the caller's: one of each around all streams.
        auto tuple = binary_rows_.row_of(data, n);
        if (!tuple) {
            if (binary_rows_.ended() && in_row_) bad_stream(table_, "the stream ended inside a row");
            return;
        }
        row = *tuple;
        if (row.size() < 10) bad_stream(table_, "a row without its kind");
        const auto k = static_cast<std::int32_t>(be32(row.data() + 6));
        return k == 0 ? head(row.data(), row.size()) : piece(row.data(), row.size());
    }
    const auto tab = row.find('\t');
    if (tab == std::string_view::npos) bad_stream(table_, "a row without its kind");
    return row.substr(0, tab) == "0" ? head(data, n) : piece(data, n);
}

void PiecewiseRows::head(const char* data, std::size_t n) {
    if (in_row_) bad_stream(table_, "a row began before the pieces of the one before ended");
    const std::size_t columns = table_.columns.size();
    head_.assign(data, n);
    auto fields = binary_ ? binary_fields(table_, head_) : text_fields(table_, head_);
    if (fields.size() != 1 + columns + 3 * table_.large_values.size())
        bad_stream(table_, "a head row with the wrong number of values");
    fields_.assign(columns, {});
    pieces_.assign(columns, -1);
    bytes_.assign(columns, -1);
    for (std::size_t i = 0; i < columns; ++i) {
        fields_[i] = {fields[1 + i].first, fields[1 + i].second};
        if (large_of_column_[i] < 0) continue;
        // After the columns, three values per large column: slice, pieces, bytes.
        const std::size_t at = 1 + columns + 3 * static_cast<std::size_t>(large_of_column_[i]);
        const auto& count = fields[at + 1];
        const auto& length = fields[at + 2];
        if (binary_) {
            if (count.second == 4) continue;  // NULL: the value is in the head row
            if (count.second != 12 || length.second != 12)
                bad_stream(table_, "a piece count that is not int8");
            pieces_[i] = be64(head_.data() + count.first + 4);
            bytes_[i] = be64(head_.data() + length.first + 4);
        } else {
            std::string_view text(head_.data() + count.first, count.second);
            if (text == "\\N") continue;
            pieces_[i] = text_int(table_, text);
            bytes_[i] = text_int(table_, std::string_view(head_.data() + length.first, length.second));
        }
        if (pieces_[i] < 1) bad_stream(table_, "a large value without pieces");
    }
    in_row_ = true;
    next_column_ = 0;
    out_.clear();
    if (binary_) {
        out_.push_back(static_cast<char>(columns >> 8));
        out_.push_back(static_cast<char>(columns & 0xFF));
    }
    continue_row();
}

void PiecewiseRows::continue_row() {
    const std::size_t columns = table_.columns.size();
    for (; next_column_ < columns; ++next_column_) {
        if (!binary_ && next_column_ > 0) out_.push_back('\t');
        if (pieces_[next_column_] > 0) {
            if (binary_) put_be32(out_, static_cast<std::uint32_t>(bytes_[next_column_]));
            first_piece_ = true;
            piece_bytes_seen_ = 0;
            flush();
            return;  // its pieces come next
        }
        const auto& f = fields_[next_column_];
        out_.append(head_, f.offset, f.size);
    }
    if (!binary_) out_.push_back('\n');
    flush();
    checksum_.end_row();
    in_row_ = false;
    first_piece_ = false;
}

void PiecewiseRows::piece(const char* data, std::size_t n) {
    std::string_view row(data, n);
    auto fields = binary_ ? binary_fields(table_, row) : text_fields(table_, row);
    const std::int64_t k = binary_ ? static_cast<std::int32_t>(be32(data + 6))
                                   : text_int(table_, row.substr(fields[0].first, fields[0].second));
    if (!in_row_ || k != static_cast<std::int64_t>(next_column_) + 1 || pieces_[next_column_] <= 0 ||
        fields.size() != 1 + table_.columns.size() + 3 * table_.large_values.size())
        bad_stream(table_, "a piece out of order");
    const auto large = static_cast<std::size_t>(large_of_column_[next_column_]);
    const auto& f = fields[1 + table_.columns.size() + 3 * large];
    std::string_view slice = row.substr(f.first, f.second);
    if (binary_) {
        // The value's bytes as COPY BINARY sends them.
        if (slice.size() < 4 || static_cast<std::int32_t>(be32(slice.data())) < 0)
            bad_stream(table_, "an empty piece");
        slice.remove_prefix(4);
        piece_bytes_seen_ += static_cast<std::int64_t>(slice.size());
    } else {
        // Each slice prints as \\x<hex>. A bytea prints that way whole: one
        // \\x and all the hex. Text prints its bytes, escaped as COPY does.
        if (slice.substr(0, 3) != "\\\\x" || slice.size() % 2 == 0) bad_stream(table_, "a piece not in hex");
        slice.remove_prefix(3);
        piece_bytes_seen_ += static_cast<std::int64_t>(slice.size() / 2);
        if (table_.large_values[large].kind == "b") {
            if (first_piece_) row_bytes("\\\\x", 3);
        } else {
            escaped_.clear();
            if (!append_copy_text_from_hex(escaped_, slice)) bad_stream(table_, "a piece not in hex");
            slice = escaped_;
        }
    }
    row_bytes(slice.data(), slice.size());
    first_piece_ = false;
    if (--pieces_[next_column_] > 0) return;
    if (piece_bytes_seen_ != bytes_[next_column_])
        bad_stream(table_, "a large value whose pieces do not add up to its length");
    ++next_column_;
    continue_row();
}

void PiecewiseRows::flush() {
    if (out_.empty()) return;
    row_bytes(out_.data(), out_.size());
    out_.clear();
}

void PiecewiseRows::row_bytes(const char* data, std::size_t n) {
    checksum_.add_row_piece(data, n);
    if (out_fn_) out_fn_(data, n);
}

void PiecewiseRows::finish() const {
    if (in_row_) bad_stream(table_, "the stream ended inside a row");
    if (binary_ && binary_rows_.started() && !binary_rows_.ended())
        bad_stream(table_, "the stream ended without its trailer");
}

}  // namespace dbclone::pg
