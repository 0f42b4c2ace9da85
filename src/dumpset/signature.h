// Signed dump sets: a store need not be trusted when the importer holds the
// exporter's public key. `export --sign-key <private.pem>` writes
// manifest.json.sig (Ed25519, OpenSSL EVP) over the exact bytes of
// manifest.json, which records the SHA-256 of ddl.json and of every chunk,
// so the signature covers every file that is loaded. `import --verify-key
// <public.pem>` refuses (Error(untrusted), exit 15) a set without a
// signature, signed by another key or whose manifest changed after signing,
// before anything else of the set is read.
//
// Keys are PEM files as `openssl genpkey -algorithm ed25519` writes them
// (private) and `openssl pkey -pubout` derives (public).
#pragma once

#include <filesystem>
#include <string>

#include "store/store.h"

namespace dbclone::dumpset {

inline constexpr const char* kSignatureFile = "manifest.json.sig";

// The signature document for `manifest_text` (JSON: algorithm, key id,
// signature in hex). Error(usage) for a key file that is missing, unreadable
// or not an Ed25519 private key.
std::string sign_manifest(const std::string& manifest_text, const std::filesystem::path& private_key);

// Stores the signature next to the manifest (call before the manifest is
// written: a crash in between leaves an incomplete set, never a complete
// unsigned one that was meant to be signed).
void write_manifest_signature(Store& store, const std::string& dump_dir, const std::string& manifest_text,
                              const std::filesystem::path& private_key);

// Checks the stored signature of `manifest_text` (the bytes read from the
// store, then parsed by the caller) with the public key.
void verify_manifest_signature(Store& store, const std::string& dump_dir, const std::string& manifest_text,
                               const std::filesystem::path& public_key);

}  // namespace dbclone::dumpset
