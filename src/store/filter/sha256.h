// SHA-256 of a byte stream, fed piece by piece, through OpenSSL's EVP API.
// Dump sets record the SHA-256 of every stored artefact so an import can tell
// a damaged or swapped chunk from a good one.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

// OpenSSL's context type, declared here so that users need not include OpenSSL.
struct evp_md_ctx_st;

namespace dbclone {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const char* data, std::size_t n);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // 64 lowercase hex digits. Ends the computation: later calls return the
    // same digest and update() is no longer allowed.
    std::string hex_digest();

    // Digest of one whole buffer.
    static std::string of(std::string_view data);

private:
    struct CtxFree {
        void operator()(evp_md_ctx_st* ctx) const;
    };
    std::unique_ptr<evp_md_ctx_st, CtxFree> ctx_;
    std::string digest_;  // set once hex_digest() has finalised
};

}  // namespace dbclone
