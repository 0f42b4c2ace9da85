#include "store/filter/sha256.h"

#include <openssl/evp.h>

#include "core/error.h"

namespace dbclone {

void Sha256::CtxFree::operator()(evp_md_ctx_st* ctx) const {
    EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
        throw Error(ErrorKind::internal, "cannot initialise SHA-256 (OpenSSL)");
}

Sha256::~Sha256() = default;

void Sha256::update(const char* data, std::size_t n) {
    if (!digest_.empty()) throw Error(ErrorKind::internal, "SHA-256 updated after its digest was taken");
    if (n == 0) return;
    if (EVP_DigestUpdate(ctx_.get(), data, n) != 1) throw Error(ErrorKind::internal, "SHA-256 update failed");
}

std::string Sha256::hex_digest() {
    if (!digest_.empty()) return digest_;
    unsigned char raw[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), raw, &len) != 1)
        throw Error(ErrorKind::internal, "SHA-256 final failed");
    static constexpr char kHex[] = "0123456789abcdef";
    digest_.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        digest_.push_back(kHex[raw[i] >> 4]);
        digest_.push_back(kHex[raw[i] & 0x0f]);
    }
    return digest_;
}

std::string Sha256::of(std::string_view data) {
    Sha256 sha;
    sha.update(data);
    return sha.hex_digest();
}

}  // namespace dbclone
