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

std::string RowChecksum::hex() const {
    return fmt::format("{:016x}", sum_);
}

}  // namespace dbclone
