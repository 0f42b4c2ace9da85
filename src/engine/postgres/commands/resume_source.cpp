#include "engine/postgres/commands/resume_source.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <functional>
#include <map>
#include <vector>

#include "core/error.h"
#include "engine/postgres/commands/load_steps.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

constexpr const char* kFingerprintKey = "source-catalog";

std::string hex_hash(const std::string& text) {
    return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

std::string table_text(const TableData& t) {
    std::string text = t.name;
    for (const auto& c : t.columns) text += "\x1f" + c;
    text += "\x1e";
    for (const auto& c : t.text_columns) text += "\x1f" + c;
    return text;
}

// "table a added, table b dropped, table c changed", or the other objects.
std::string describe_changes(const nlohmann::json& was, const nlohmann::json& now,
                             std::vector<std::string>& changed_keys) {
    std::vector<std::string> parts;
    const auto& before = was.at("tables");
    const auto& after = now.at("tables");
    for (const auto& [key, table] : after.items()) {
        const auto name = quote_ident(table.value("name", key));
        if (!before.contains(key)) {
            parts.push_back("table " + name + " added");
            changed_keys.push_back(key);
        } else if (before.at(key) != table) {
            parts.push_back("table " + name + " changed");
            changed_keys.push_back(key);
        }
    }
    for (const auto& [key, table] : before.items())
        if (!after.contains(key)) {
            const auto name = table.is_object() ? table.value("name", key) : key;
            parts.push_back("table " + quote_ident(name) + " dropped");
            changed_keys.push_back(key);
        }
    if (parts.empty()) parts.push_back("definitions of other objects changed");
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

}  // namespace

nlohmann::json source_fingerprint(const SchemaCatalog& catalog) {
    std::string all;
    for (const auto& e : catalog.entries) all += e.kind + "\x1f" + e.name + "\x1f" + e.sql + "\x1e";
    nlohmann::json tables = nlohmann::json::object();
    for (const auto& t : catalog.tables) {
        auto text = table_text(t);
        tables[t.key] = {{"name", t.name}, {"hash", hex_hash(text)}};
        all += text;
    }
    return {{"catalog", hex_hash(all)}, {"tables", tables}};
}

void settle_resumed_source(PgRun& run, Journal& journal, const std::string& data_step,
                           const std::function<void()>& redo_structure) {
    const auto now = source_fingerprint(run.catalog);
    auto was = journal.get(kFingerprintKey);
    if (!was) {
        journal.set(kFingerprintKey, now);
        return;
    }
    if (was->value("catalog", "") != now.at("catalog")) {
        std::vector<std::string> changed;
        auto what = describe_changes(*was, now, changed);
        if (!run.request.allow_changed_source)
            throw Error(ErrorKind::source_changed,
                        fmt::format("schema {} changed on the source since this run started: {}",
                                    quote_ident(run.request.source_schema), what),
                        "resume with --allow-changed-source to redo what changed, or remove the journal " +
                            journal.path().string() + " (and any incomplete copy) to start over");
        run.result.warnings.push_back(
            fmt::format("schema {} changed on the source since this run started ({}); redoing what changed "
                        "(--allow-changed-source)",
                        quote_ident(run.request.source_schema), what));
        redo_structure();
        for (const auto& key : changed) {
            journal.forget_prefix("table:" + key);
            journal.forget_prefix("part:" + key + ":");
            journal.forget_prefix("emptied:" + key);
        }
        journal.forget_prefix("step:" + data_step);
        journal.set(kFingerprintKey, now);
    }
    // Rows already read came from an earlier attempt's snapshot unless the
    // data step finished there (then every row came from that one snapshot).
    if (journal.done("step:" + data_step)) return;
    // A clone's table of which only parts are in is settled by its copy step:
    // parts are kept only where the source provably did not change
    // (data/kept_parts.h), else the table is copied again in this snapshot.
    const bool parts_settled_by_copy = data_step == "copy-data";
    std::vector<std::string> earlier;
    for (const auto& t : run.catalog.tables)
        if (journal.done("table:" + t.key) ||
            (!parts_settled_by_copy && !journal.done_keys("part:" + t.key + ":").empty()))
            earlier.push_back(t.key);
    if (earlier.empty()) return;
    if (run.request.allow_mixed_snapshot) {
        journal.set(kMixedSnapshotKey, true);
        return;
    }
    // Read again in this snapshot: a table created by the run is emptied in
    // the transaction that loads it (or before its parts), a dump set's
    // chunks are written anew. A table that only receives rows (append)
    // cannot be loaded twice: it stays as the earlier attempt left it.
    int kept = 0;
    for (const auto& key : earlier) {
        const TableData* table = nullptr;
        for (const auto& t : run.catalog.tables)
            if (t.key == key) table = &t;
        if (data_step == "copy-data" && table && !table_truncated_first(run, table->name)) {
            ++kept;
            continue;
        }
        journal.forget_prefix("table:" + key);
        journal.forget_prefix("part:" + key + ":");
        journal.forget_prefix("emptied:" + key);
    }
    if (kept) journal.set(kMixedSnapshotKey, true);
}

void note_mixed_snapshot(PgRun& run, const Journal& journal) {
    if (!journal.get(kMixedSnapshotKey)) return;
    const std::string text =
        "resumed with tables read in an earlier attempt's snapshot: the copy mixes two snapshots of the "
        "source "
        "(rows changed in between may disagree across tables)";
    run.result.warnings.push_back(text);
    run.result.report.add("snapshot", "one snapshot", CheckStatus::warn, text);
}

}  // namespace dbclone::pg
