#include "core/row_checksum.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>

namespace dbclone {

void RowChecksum::add_row(const char* data, std::size_t n) {
    sum_ += XXH3_64bits(data, n);
    ++rows_;
}

void RowChecksum::add_rows(const char* data, std::size_t n) {
    const char* end = data + n;
    while (data < end) {
        const char* nl =
            static_cast<const char*>(std::memchr(data, '\n', static_cast<std::size_t>(end - data)));
        const char* row_end = nl ? nl + 1 : end;
        add_row(data, static_cast<std::size_t>(row_end - data));
        data = row_end;
    }
}

void RowChecksum::add_stream(const char* data, std::size_t n) {
    const char* end = data + n;
    if (!carry_.empty()) {
        const char* nl = static_cast<const char*>(std::memchr(data, '\n', n));
        if (!nl) {
            carry_.append(data, n);
            return;
        }
        carry_.append(data, static_cast<std::size_t>(nl + 1 - data));
        add_row(carry_.data(), carry_.size());
        carry_.clear();
        data = nl + 1;
    }
    // Whole rows go straight to add_rows; only a trailing partial row is copied.
    const char* last = data;
    for (const char* p = end; p > data; --p)
        if (p[-1] == '\n') {
            last = p;
            break;
        }
    add_rows(data, static_cast<std::size_t>(last - data));
    carry_.assign(last, static_cast<std::size_t>(end - last));
}

bool RowChecksum::parse(std::uint64_t rows, const std::string& hex, RowChecksum& out) {
    if (hex.size() != 16 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
    out.rows_ = rows;
    out.sum_ = std::stoull(hex, nullptr, 16);
    out.carry_.clear();
    return true;
}

std::string RowChecksum::hex() const {
    return fmt::format("{:016x}", sum_);
}

}  // namespace dbclone
