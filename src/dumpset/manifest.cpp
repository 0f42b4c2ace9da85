#include "dumpset/manifest.h"

#include <set>

#include "core/error.h"
#include "dumpset/layout.h"

namespace dbclone::dumpset {

using nlohmann::json;

namespace {

[[noreturn]] void bad_field(const std::string& field, const std::string& problem) {
    throw Error(ErrorKind::corrupt_artefact, "manifest field '" + field + "' " + problem);
}

// A JSON object being read, with the dotted path of where it sits, so every
// error names the exact field.
class Reader {
public:
    Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {
        if (!object_.is_object()) bad_field(where_.empty() ? "(root)" : where_, "is not an object");
    }

    std::string field(const std::string& key) const { return where_.empty() ? key : where_ + "." + key; }

    const json& any(const std::string& key) const {
        auto it = object_.find(key);
        if (it == object_.end()) bad_field(field(key), "is missing");
        return *it;
    }
    std::string string(const std::string& key) const {
        const json& v = any(key);
        if (!v.is_string()) bad_field(field(key), "is not a string");
        return v.get<std::string>();
    }
    std::uint64_t count(const std::string& key) const {
        const json& v = any(key);
        if (v.is_number_unsigned()) return v.get<std::uint64_t>();
        if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return v.get<std::uint64_t>();
        bad_field(field(key), "is not a non-negative integer");
    }
    int integer(const std::string& key) const {
        const json& v = any(key);
        if (!v.is_number_integer()) bad_field(field(key), "is not an integer");
        return v.get<int>();
    }
    const json& array(const std::string& key) const {
        const json& v = any(key);
        if (!v.is_array()) bad_field(field(key), "is not an array");
        return v;
    }

private:
    const json& object_;
    std::string where_;
};

bool is_sha256_hex(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// Paths in a manifest are used to open files: only plain relative paths.
bool is_safe_relative_path(const std::string& path) {
    if (path.empty() || path.front() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return true;
}

std::string relative_path(const Reader& r, const std::string& key) {
    std::string path = r.string(key);
    if (!is_safe_relative_path(path)) bad_field(r.field(key), "is not a relative path: '" + path + "'");
    return path;
}

ChunkEntry chunk_from_json(const json& j, const std::string& where) {
    Reader r(j, where);
    ChunkEntry c;
    c.path = relative_path(r, "path");
    c.bytes = r.count("bytes");
    c.sha256 = r.string("sha256");
    if (!is_sha256_hex(c.sha256)) bad_field(r.field("sha256"), "is not a SHA-256 hex digest");
    c.rows = r.count("rows");
    c.raw_bytes = r.count("raw_bytes");
    return c;
}

TableEntry table_from_json(const json& j, const std::string& where) {
    Reader r(j, where);
    TableEntry t;
    t.key = r.string("key");
    if (t.key.empty() || t.key.find('/') != std::string::npos || t.key == "." || t.key == "..")
        bad_field(r.field("key"), "is not a valid table key: '" + t.key + "'");
    t.schema_name = r.string("schema_name");
    t.name = r.string("name");
    const json& columns = r.array("columns");
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (!columns[i].is_string())
            bad_field(r.field("columns") + "[" + std::to_string(i) + "]", "is not a string");
        t.columns.push_back(columns[i].get<std::string>());
    }
    t.rows = r.count("rows");
    t.checksum = r.string("checksum");
    const json& chunks = r.array("chunks");
    std::uint64_t chunk_rows = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        t.chunks.push_back(chunk_from_json(chunks[i], r.field("chunks") + "[" + std::to_string(i) + "]"));
        chunk_rows += t.chunks.back().rows;
    }
    if (chunk_rows != t.rows)
        bad_field(r.field("rows"), "is " + std::to_string(t.rows) + " but its chunks hold " +
                                       std::to_string(chunk_rows) + " rows");
    return t;
}

json chunk_to_json(const ChunkEntry& c) {
    return json{{"path", c.path},
                {"bytes", c.bytes},
                {"sha256", c.sha256},
                {"rows", c.rows},
                {"raw_bytes", c.raw_bytes}};
}

json table_to_json(const TableEntry& t) {
    return json{{"key", t.key},
                {"schema_name", t.schema_name},
                {"name", t.name},
                {"columns", t.columns},
                {"rows", t.rows},
                {"checksum", t.checksum},
                {"chunks", chunks_to_json(t.chunks)}};
}

}  // namespace

json chunks_to_json(const std::vector<ChunkEntry>& chunks) {
    json out = json::array();
    for (const auto& c : chunks) out.push_back(chunk_to_json(c));
    return out;
}

std::vector<ChunkEntry> chunks_from_json(const json& j) {
    if (!j.is_array()) bad_field("chunks", "is not an array");
    std::vector<ChunkEntry> out;
    for (std::size_t i = 0; i < j.size(); ++i)
        out.push_back(chunk_from_json(j[i], "chunks[" + std::to_string(i) + "]"));
    return out;
}

json to_json(const Manifest& m) {
    json tables = json::array();
    for (const auto& t : m.tables) tables.push_back(table_to_json(t));
    return json{{"format_version", m.format_version},
                {"tool_version", m.tool_version},
                {"server_version", m.server_version},
                {"database", m.database},
                {"schema", m.schema},
                {"created_at", m.created_at},
                {"snapshot", m.snapshot},
                {"ddl_path", m.ddl_path},
                {"ddl_sha256", m.ddl_sha256},
                {"log_path", m.log_path},
                {"objects", m.objects},
                {"tables", std::move(tables)},
                {"extra", m.extra}};
}

Manifest manifest_from_json(const json& j) {
    Reader r(j, "");
    Manifest m;
    m.format_version = r.integer("format_version");
    if (m.format_version < 1) bad_field("format_version", "is " + std::to_string(m.format_version));
    if (m.format_version > kManifestFormatVersion)
        throw Error(ErrorKind::unsupported,
                    "dump set format version " + std::to_string(m.format_version) +
                        " is newer than this dbclone understands (" + std::to_string(kManifestFormatVersion) +
                        ")",
                    "import it with a newer dbclone");
    m.tool_version = r.string("tool_version");
    m.server_version = r.string("server_version");
    m.database = r.string("database");
    m.schema = r.string("schema");
    m.created_at = r.string("created_at");
    m.snapshot = r.string("snapshot");
    m.ddl_path = relative_path(r, "ddl_path");
    m.ddl_sha256 = r.string("ddl_sha256");
    if (!m.ddl_sha256.empty() && !is_sha256_hex(m.ddl_sha256))
        bad_field("ddl_sha256", "is not a SHA-256 hex digest");
    m.log_path = relative_path(r, "log_path");
    m.objects = r.any("objects");
    m.extra = r.any("extra");
    const json& tables = r.array("tables");
    std::set<std::string> keys;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        std::string where = "tables[" + std::to_string(i) + "]";
        m.tables.push_back(table_from_json(tables[i], where));
        if (!keys.insert(m.tables.back().key).second)
            bad_field(where + ".key", "repeats table key '" + m.tables.back().key + "'");
    }
    return m;
}

std::string manifest_path(const std::string& dump_dir) {
    return join_path(dump_dir, "manifest.json");
}

std::string read_manifest_text(Store& store, const std::string& dump_dir) {
    const std::string path = manifest_path(dump_dir);
    try {
        return read_all(store, path);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        throw Error(ErrorKind::corrupt_artefact, "dump set " + dump_dir + " has no manifest " + path,
                    "the export that wrote it did not finish; export again or pick another dump set");
    }
}

Manifest parse_manifest(const std::string& text, const std::string& dump_dir) {
    const std::string path = manifest_path(dump_dir);
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) throw Error(ErrorKind::corrupt_artefact, "manifest " + path + " is not valid JSON");
    try {
        return manifest_from_json(j);
    } catch (const Error& e) {
        throw Error(e.kind(), "manifest " + path + ": " + e.message(), e.hint());
    }
}

Manifest read_manifest(Store& store, const std::string& dump_dir) {
    return parse_manifest(read_manifest_text(store, dump_dir), dump_dir);
}

std::string manifest_text(const Manifest& manifest, const std::string& dump_dir) {
    json j = to_json(manifest);
    // A manifest that import would reject is a bug of the exporter: fail the
    // export now rather than leave a dump set that looks complete.
    try {
        manifest_from_json(j);
    } catch (const Error& e) {
        throw Error(ErrorKind::internal,
                    "refusing to write an invalid manifest " + manifest_path(dump_dir) + ": " + e.message());
    }
    return j.dump(2) + "\n";
}

void write_manifest(Store& store, const std::string& dump_dir, const Manifest& manifest) {
    write_all(store, manifest_path(dump_dir), manifest_text(manifest, dump_dir));
}

}  // namespace dbclone::dumpset
