#include "store/filter/hashing_stream.h"

namespace dbclone {

void HashingWriter::write(const char* data, std::size_t n) {
    sha_.update(data, n);
    bytes_ += n;
    inner_.write(data, n);
}

std::size_t HashingReader::read(char* buffer, std::size_t n) {
    std::size_t got = inner_.read(buffer, n);
    sha_.update(buffer, got);
    bytes_ += got;
    return got;
}

}  // namespace dbclone
