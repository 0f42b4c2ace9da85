#include "dumpset/signature.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.h"
#include "dumpset/layout.h"

namespace dbclone::dumpset {

namespace {

constexpr const char* kAlgorithm = "Ed25519";
constexpr const char* kUntrustedHint =
    "import only dump sets signed with the key whose public half you pass to --verify-key; "
    "export again with --sign-key";

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Key read_key(const std::filesystem::path& file, bool private_key) {
    const char* what = private_key ? "--sign-key" : "--verify-key";
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(file.c_str(), "r"), &std::fclose);
    if (!f)
        throw Error(ErrorKind::usage, std::string(what) + " " + file.string() + " cannot be read",
                    "pass the path of a PEM key file");
    EVP_PKEY* raw = private_key ? PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr)
                                : PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr);
    Key key(raw, &EVP_PKEY_free);
    if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
        throw Error(ErrorKind::usage,
                    std::string(what) + " " + file.string() + " is not an Ed25519 " +
                        (private_key ? "private" : "public") + " key in PEM form",
                    private_key ? "create one with: openssl genpkey -algorithm ed25519 -out key.pem"
                                : "derive it with: openssl pkey -in key.pem -pubout -out key.pub.pem");
    return key;
}

std::string to_hex(const unsigned char* data, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0xF];
    }
    return out;
}

bool from_hex(const std::string& hex, std::vector<unsigned char>& out) {
    auto nibble = [](char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    if (hex.size() % 2) return false;
    out.clear();
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<unsigned char>(hi * 16 + lo));
    }
    return true;
}

// SHA-256 of the raw public key: names the key in the signature and errors.
std::string key_id(EVP_PKEY* key) {
    unsigned char raw[64];
    std::size_t n = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &n) != 1)
        throw Error(ErrorKind::internal, "cannot read the raw Ed25519 public key");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(raw, n, digest, &len, EVP_sha256(), nullptr) != 1)
        throw Error(ErrorKind::internal, "SHA-256 failed");
    return to_hex(digest, len);
}

std::string signature_path(const std::string& dump_dir) {
    return join_path(dump_dir, kSignatureFile);
}

}  // namespace

std::string sign_manifest(const std::string& manifest_text, const std::filesystem::path& private_key) {
    auto key = read_key(private_key, true);
    MdContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::vector<unsigned char> sig(EVP_PKEY_get_size(key.get()));
    std::size_t len = sig.size();
    // Ed25519 signs the message itself (no separate digest).
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), sig.data(), &len,
                       reinterpret_cast<const unsigned char*>(manifest_text.data()),
                       manifest_text.size()) != 1)
        throw Error(ErrorKind::internal, "Ed25519 signing failed");
    nlohmann::json doc{
        {"algorithm", kAlgorithm}, {"key_sha256", key_id(key.get())}, {"signature", to_hex(sig.data(), len)}};
    return doc.dump(2) + "\n";
}

void write_manifest_signature(Store& store, const std::string& dump_dir, const std::string& manifest_text,
                              const std::filesystem::path& private_key) {
    write_all(store, signature_path(dump_dir), sign_manifest(manifest_text, private_key));
}

void verify_manifest_signature(Store& store, const std::string& dump_dir, const std::string& manifest_text,
                               const std::filesystem::path& public_key) {
    auto key = read_key(public_key, false);
    const auto path = signature_path(dump_dir);
    std::string text;
    try {
        text = read_all(store, path);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        throw Error(ErrorKind::untrusted,
                    "dump set " + dump_dir + " is not signed (no " + kSignatureFile + ")", kUntrustedHint);
    }
    auto doc = nlohmann::json::parse(text, nullptr, false);
    std::vector<unsigned char> sig;
    if (doc.is_discarded() || !doc.is_object() || doc.value("algorithm", "") != kAlgorithm ||
        !doc.contains("signature") || !doc["signature"].is_string() ||
        !from_hex(doc["signature"].get<std::string>(), sig))
        throw Error(ErrorKind::untrusted,
                    "signature " + path + " is not an " + kAlgorithm + " signature document", kUntrustedHint);
    const auto expected_id = key_id(key.get());
    if (doc.value("key_sha256", "") != expected_id)
        throw Error(ErrorKind::untrusted,
                    "dump set " + dump_dir + " is signed by another key (" + doc.value("key_sha256", "?") +
                        ", --verify-key is " + expected_id + ")",
                    kUntrustedHint);
    MdContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    const bool good = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
                      EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                                       reinterpret_cast<const unsigned char*>(manifest_text.data()),
                                       manifest_text.size()) == 1;
    if (!good)
        throw Error(ErrorKind::untrusted,
                    "the signature of dump set " + dump_dir +
                        " does not match its manifest: the manifest was "
                        "changed after it was signed",
                    kUntrustedHint);
}

}  // namespace dbclone::dumpset
