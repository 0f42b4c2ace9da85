// The manifest of a dump set: what was exported, from where, and the size and
// SHA-256 of every stored artefact. It is written last, so a dump set without
// manifest.json is an incomplete export and is never imported.
//
// Layout of a dump set directory (see layout.h for where it lives):
//   manifest.json             this file
//   ddl.json                  engine DDL entries (ddl_path / ddl_sha256)
//   export.log                the export's log (log_path)
//   data/<key>/NNNNNN.copy.zst  COPY text rows of table <key>, zstd-compressed
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/store.h"

namespace dbclone::dumpset {

constexpr int kManifestFormatVersion = 1;

struct ChunkEntry {
    std::string path;         // relative to the dump set directory
    std::uint64_t bytes = 0;  // compressed, as stored
    std::string sha256;       // of the stored bytes
    std::uint64_t rows = 0;
    std::uint64_t raw_bytes = 0;  // uncompressed COPY text
};

struct TableEntry {
    std::string key;  // "t0001": names the table's data folder, whatever its SQL name
    std::string schema_name;
    std::string name;
    std::vector<std::string> columns;
    std::uint64_t rows = 0;
    std::string checksum;  // RowChecksum hex of all rows
    std::vector<ChunkEntry> chunks;
};

struct Manifest {
    int format_version = kManifestFormatVersion;
    std::string tool_version, server_version, database, schema, created_at /* ISO-8601 UTC */, snapshot;
    std::string ddl_path = "ddl.json";
    std::string ddl_sha256;
    std::string log_path = "export.log";
    nlohmann::json objects;  // inventory (kind/name list) supplied by the engine
    std::vector<TableEntry> tables;
    nlohmann::json extra;  // engine-specific
};

nlohmann::json to_json(const Manifest& manifest);
// A table's chunk list alone (as the manifest writes it), and back, strictly.
nlohmann::json chunks_to_json(const std::vector<ChunkEntry>& chunks);
std::vector<ChunkEntry> chunks_from_json(const nlohmann::json& json);
// Strict: a missing or mistyped field is an Error(corrupt_artefact) naming the
// field ("tables[2].chunks[0].sha256"); a newer format_version is unsupported.
// Unknown fields are ignored.
Manifest manifest_from_json(const nlohmann::json& json);

// "<dump_dir>/manifest.json".
std::string manifest_path(const std::string& dump_dir);
// A missing, unreadable or invalid manifest is an Error(corrupt_artefact)
// naming its path.
Manifest read_manifest(Store& store, const std::string& dump_dir);
// The same in two halves, for a caller that checks the manifest's bytes
// (its signature) before parsing exactly those bytes.
std::string read_manifest_text(Store& store, const std::string& dump_dir);
Manifest parse_manifest(const std::string& text, const std::string& dump_dir);
// The bytes write_manifest() stores (checked as manifest_from_json() would).
std::string manifest_text(const Manifest& manifest, const std::string& dump_dir);
// Call after every other artefact of the dump set is committed. Checks the
// manifest as manifest_from_json() would first: an invalid one is an
// Error(internal) and is not written.
void write_manifest(Store& store, const std::string& dump_dir, const Manifest& manifest);

}  // namespace dbclone::dumpset
