#include "dumpset/finder.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "dumpset/layout.h"

namespace dbclone::dumpset {

namespace {

constexpr const char* kManifestName = "manifest.json";

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto slash = path.find('/', start);
        parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) return parts;
        start = slash + 1;
    }
}

// A schema name as messages show it: bare when it is a plain lower-case
// identifier, in double quotes otherwise (as SQL would need it).
std::string shown(const std::string& name) {
    bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
    if (plain) return name;
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::vector<FoundDumpSet> Finder::complete_sets(const std::string& schema,
                                                const std::string& retention) const {
    const std::string encoded_schema = encode_path_component(schema);
    std::vector<FoundDumpSet> found;
    for (const auto& object : store_.list(retention.empty() ? std::string() : retention + "/")) {
        // <retention>/<database>/schema/<schema>/<timestamp>/manifest.json, exactly.
        auto parts = split_path(object.path);
        if (parts.size() != 6 || parts[2] != "schema" || parts[3] != encoded_schema ||
            parts[5] != kManifestName || !is_dump_set_timestamp(parts[4]) || parts[0].empty() ||
            parts[1].empty())
            continue;
        if (!retention.empty() && parts[0] != retention) continue;
        found.push_back({object.path.substr(0, object.path.size() - 1 - parts[5].size()), parts[0],
                         decode_path_component(parts[1]), parts[4]});
    }
    std::sort(found.begin(), found.end(), [](const FoundDumpSet& a, const FoundDumpSet& b) {
        return a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.dir < b.dir;
    });
    return found;
}

std::optional<std::string> Finder::newest(const std::string& retention, const std::string& database,
                                          const std::string& schema) const {
    // Checks the names as dump_set_dir() would (a bad retention is a usage error).
    (void)dump_set_dir(retention, database, schema, utc_timestamp_now());
    std::optional<std::string> newest;
    for (auto& set : complete_sets(schema, retention))
        if (set.database == database) newest = std::move(set.dir);
    return newest;
}

std::string Finder::newest_for_import(const std::string& schema, const std::string& retention) const {
    std::map<std::string, std::string> newest_per_database;  // database -> dump dir
    for (auto& set : complete_sets(schema, retention)) newest_per_database[set.database] = std::move(set.dir);
    const std::string where = retention.empty() ? std::string("any retention") : retention + "/";
    if (newest_per_database.empty())
        throw Error(ErrorKind::not_found,
                    fmt::format("no complete dump set of schema {} under {} in {}", shown(schema), where,
                                store_.display_url()),
                    "check --store, --retention and the schema name, or name one with --dump");
    if (newest_per_database.size() > 1) {
        std::string names;
        for (const auto& [db, dir] : newest_per_database) names += (names.empty() ? "" : ", ") + dir;
        throw Error(ErrorKind::usage, "dump sets of that schema exist for several databases: " + names,
                    "choose one with --dump");
    }
    return newest_per_database.begin()->second;
}

}  // namespace dbclone::dumpset
