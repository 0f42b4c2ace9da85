#include "core/row_checksum.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>
#include <new>

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

struct RowChecksum::Partial {
    Partial() : state(XXH3_createState()) {
        if (state == nullptr) throw std::bad_alloc();
    }
    XXH3_state_t* state;
};

void RowChecksum::PartialDeleter::operator()(Partial* p) const {
    XXH3_freeState(p->state);
    delete p;
}

RowChecksum::~RowChecksum() = default;

RowChecksum::RowChecksum(const RowChecksum& other) : rows_(other.rows_), sum_(other.sum_) {
    if (other.partial_) {
        partial_.reset(new Partial);
        XXH3_copyState(partial_->state, other.partial_->state);
    }
}

RowChecksum& RowChecksum::operator=(const RowChecksum& other) {
    if (this != &other) *this = RowChecksum(other);
    return *this;
}

void RowChecksum::add_stream(const char* data, std::size_t n) {
    const char* end = data + n;
    if (partial_) {
        const char* nl = static_cast<const char*>(std::memchr(data, '\n', n));
        const char* row_end = nl ? nl + 1 : end;
        XXH3_64bits_update(partial_->state, data, static_cast<std::size_t>(row_end - data));
        if (!nl) return;
        sum_ += XXH3_64bits_digest(partial_->state);
        ++rows_;
        partial_.reset();
        data = row_end;
    }
    // Whole rows go straight to add_rows; a trailing partial row starts a state.
    const char* last = data;
    for (const char* p = end; p > data; --p)
        if (p[-1] == '\n') {
            last = p;
            break;
        }
    add_rows(data, static_cast<std::size_t>(last - data));
    if (last == end) return;
    partial_.reset(new Partial);
    XXH3_64bits_reset(partial_->state);
    XXH3_64bits_update(partial_->state, last, static_cast<std::size_t>(end - last));
}

void RowChecksum::add_row_piece(const char* data, std::size_t n) {
    if (!partial_) {
        partial_.reset(new Partial);
        XXH3_64bits_reset(partial_->state);
    }
    XXH3_64bits_update(partial_->state, data, n);
}

void RowChecksum::end_row() {
    if (!partial_) return add_row("", 0);
    sum_ += XXH3_64bits_digest(partial_->state);
    ++rows_;
    partial_.reset();
}

bool RowChecksum::parse(std::uint64_t rows, const std::string& hex, RowChecksum& out) {
    if (hex.size() != 16 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
    out.rows_ = rows;
    out.sum_ = std::stoull(hex, nullptr, 16);
    out.partial_.reset();
    return true;
}

std::string RowChecksum::hex() const {
    return fmt::format("{:016x}", sum_);
}

}  // namespace dbclone
