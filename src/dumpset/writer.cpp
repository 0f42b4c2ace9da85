#include "dumpset/writer.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "core/error.h"
#include "core/log.h"
#include "dumpset/layout.h"
#include "dumpset/signature.h"
#include "store/filter/sha256.h"

namespace dbclone::dumpset {

namespace {

// Journal keys of the dump set (stable: a resumed export reads them back).
constexpr const char* kDirKey = "dump_dir";
constexpr const char* kCreatedKey = "created_at";
constexpr const char* kDdlShaKey = "ddl_sha256";
std::string chunks_key(const std::string& table_key) {
    return "chunks:" + table_key;
}

// Dump sets are named by the second they start; another export of the same
// schema in the same second (or one still writing there) waits for the next.
std::string unused_dump_set_dir(Store& store, const DumpSetOrigin& origin) {
    constexpr int kAttempts = 5;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        auto dir = dump_set_dir(origin.retention, origin.database, origin.schema, utc_timestamp_now());
        if (store.list(dir + "/").empty()) return dir;
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    }
    throw Error(ErrorKind::target_exists,
                "every dump set name of the last seconds is taken in " + store.display_url(),
                "another export of this schema is running into the same store");
}

// Everything in the dump set the manifest will not name goes before the
// manifest is written: chunks of a table dropped from the source between the
// attempts of an export resumed with --allow-changed-source, a signature of
// an earlier attempt. A dump set holds exactly what its manifest lists.
void remove_unlisted(Store& store, const std::string& dir, const Manifest& m, bool signed_set) {
    std::set<std::string> listed{join_path(dir, m.ddl_path), join_path(dir, m.log_path), manifest_path(dir)};
    if (signed_set) listed.insert(join_path(dir, kSignatureFile));
    for (const auto& t : m.tables)
        for (const auto& c : t.chunks) listed.insert(join_path(dir, c.path));
    std::size_t removed = 0;
    for (const auto& object : store.list(dir + "/"))
        if (!listed.count(object.path)) {
            store.remove(object.path);
            ++removed;
        }
    store.remove_empty_folders(dir + "/");
    if (removed) log::info("removed {} objects of the dump set its manifest does not list", removed);
}

}  // namespace

std::string planned_location(const Store& store, const DumpSetOrigin& origin) {
    return fmt::format("{}/{}/schema/{}/<timestamp>/ in {}", origin.retention,
                       encode_path_component(origin.database), encode_path_component(origin.schema),
                       store.display_url());
}

Writer::Writer(Store& store, Journal& journal, DumpSetOrigin origin, const std::filesystem::path& work_dir)
    : store_(store), journal_(journal), origin_(std::move(origin)) {
    if (auto dir = journal_.get(kDirKey)) {
        dir_ = dir->get<std::string>();
        // An earlier attempt killed mid-write left its temporary objects
        // here; this process (holding the run lock) is the only writer.
        store_.discard_uncommitted(dir_ + "/");
    } else {
        dir_ = unused_dump_set_dir(store_, origin_);
        journal_.set(kDirKey, dir_);
        journal_.set(kCreatedKey, utc_iso8601_now());
    }
    std::filesystem::create_directories(work_dir);
    // Named after the dump set, so a resumed export appends to the log of the
    // attempt it continues and the dump set gets both.
    local_log_ = work_dir / fmt::format("export-{:016x}.log", XXH3_64bits(dir_.data(), dir_.size()));
}

void Writer::write_ddl(const std::string& text) {
    Sha256 sha;
    sha.update(text.data(), text.size());
    write_all(store_, join_path(dir_, "ddl.json"), text);
    journal_.set(kDdlShaKey, sha.hex_digest());
}

Writer::TableRows::TableRows(Writer& writer, std::string table_key, std::uint64_t chunk_raw_bytes)
    : writer_(writer),
      key_(std::move(table_key)),
      chunks_(writer.store_, writer.dir_, key_, chunk_raw_bytes) {
    // Chunks an earlier attempt committed for this table before it died are
    // not journaled and may outnumber the ones written now: none may stay.
    auto prefix = join_path(writer_.dir_, "data/" + key_ + "/");
    for (const auto& old : writer_.store_.list(prefix)) writer_.store_.remove(old.path);
}

void Writer::TableRows::add(const char* data, std::size_t n) {
    if (n >= kBatch) {
        // A big piece (a slice of a large value) goes to the compressor as
        // it is, not copied into the batch first.
        flush_batch();
        chunks_.write_rows(data, n);
        return;
    }
    batch_.append(data, n);
    if (batch_.size() >= kBatch) flush_batch();
}

void Writer::TableRows::flush_batch() {
    if (!batch_.empty()) chunks_.write_rows(batch_.data(), batch_.size());
    batch_.clear();
}

void Writer::TableRows::finish() {
    flush_batch();
    writer_.journal_.set(chunks_key(key_), chunks_to_json(chunks_.finish()));
}

void Writer::finish(Manifest m, const std::filesystem::path& sign_key) {
    m.tool_version = DBCLONE_VERSION;
    m.database = origin_.database;
    m.schema = origin_.schema;
    m.created_at = journal_.get(kCreatedKey).value_or(utc_iso8601_now()).get<std::string>();
    auto ddl_sha = journal_.get(kDdlShaKey);
    if (!ddl_sha) throw Error(ErrorKind::internal, "the dump set's ddl.json was not written");
    m.ddl_sha256 = ddl_sha->get<std::string>();
    std::uint64_t rows = 0;
    for (auto& t : m.tables) {
        auto chunks = journal_.get(chunks_key(t.key));
        t.chunks = chunks ? chunks_from_json(*chunks) : std::vector<ChunkEntry>{};
        rows += t.rows;
    }
    // The log goes next to the dump before the manifest: a complete dump set
    // always has its log.
    log::info("export of schema {} finished: {} tables, {} rows", m.schema, m.tables.size(), rows);
    std::string log_text;
    if (std::filesystem::exists(local_log_)) {
        std::ifstream in(local_log_);
        log_text.assign(std::istreambuf_iterator<char>(in), {});
    }
    write_all(store_, join_path(dir_, m.log_path), log_text);
    remove_unlisted(store_, dir_, m, !sign_key.empty());
    const auto text = manifest_text(m, dir_);
    if (!sign_key.empty()) write_manifest_signature(store_, dir_, text, sign_key);
    write_all(store_, manifest_path(dir_), text);
    std::error_code ec;
    std::filesystem::remove(local_log_, ec);
}

}  // namespace dbclone::dumpset
