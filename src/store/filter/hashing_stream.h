// Filters that count and SHA-256 the bytes passing through a stream, so the
// size and checksum of a stored artefact come for free while it is written
// (for the manifest) or read (to check it against the manifest).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "store/filter/sha256.h"
#include "store/store.h"

namespace dbclone {

// Forwards every write to `inner`; commit() commits `inner`.
class HashingWriter final : public WriteStream {
public:
    explicit HashingWriter(WriteStream& inner) : inner_(inner) {}
    void write(const char* data, std::size_t n) override;
    void commit() override { inner_.commit(); }

    std::uint64_t bytes() const { return bytes_; }
    std::string hex_digest() { return sha_.hex_digest(); }  // ends hashing

private:
    WriteStream& inner_;
    Sha256 sha_;
    std::uint64_t bytes_ = 0;
};

// Reads from `inner`, hashing what it hands out.
class HashingReader final : public ReadStream {
public:
    explicit HashingReader(ReadStream& inner) : inner_(inner) {}
    std::size_t read(char* buffer, std::size_t n) override;

    std::uint64_t bytes() const { return bytes_; }
    std::string hex_digest() { return sha_.hex_digest(); }  // ends hashing

private:
    ReadStream& inner_;
    Sha256 sha_;
    std::uint64_t bytes_ = 0;
};

}  // namespace dbclone
