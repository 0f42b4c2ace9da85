#include "dumpset/housekeeping.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <string_view>

#include "core/ascii.h"
#include "core/error.h"
#include "dumpset/layout.h"
#include "dumpset/manifest.h"

namespace dbclone::dumpset {

namespace {

std::time_t parse_utc(const std::string& ts) {
    // YYYYMMDDTHHMMSS, with or without a final Z (layout.h's set names).
    const bool shaped = (ts.size() == 15 || (ts.size() == 16 && ts[15] == 'Z')) && ts[8] == 'T' &&
                        ascii::all_of(std::string_view(ts).substr(0, 8), ascii::is_digit) &&
                        ascii::all_of(std::string_view(ts).substr(9, 6), ascii::is_digit);
    if (!shaped) throw Error(ErrorKind::internal, "bad dump set timestamp " + ts);
    const auto field = [&](std::size_t at, std::size_t n) { return std::stoi(ts.substr(at, n)); };
    std::tm tm{};
    tm.tm_year = field(0, 4) - 1900;
    tm.tm_mon = field(4, 2) - 1;
    tm.tm_mday = field(6, 2);
    tm.tm_hour = field(9, 2);
    tm.tm_min = field(11, 2);
    tm.tm_sec = field(13, 2);
    return timegm(&tm);
}

}  // namespace

long parse_age_hours(const std::string& text) {
    // 1-6 digits, then d (days) or h (hours).
    const std::string_view digits = std::string_view(text).substr(0, text.empty() ? 0 : text.size() - 1);
    if (text.size() < 2 || text.size() > 7 || (text.back() != 'd' && text.back() != 'h') ||
        !ascii::all_of(digits, ascii::is_digit))
        throw Error(ErrorKind::usage, "--older-than '" + text + "' is not an age",
                    "write a number of days or hours, e.g. 7d or 36h");
    return std::stol(std::string(digits)) * (text.back() == 'd' ? 24 : 1);
}

PruneRule prune_rule(bool prune, const std::string& older_than, bool yes, bool allow_permanent,
                     const std::string& retention) {
    PruneRule rule;
    if (!older_than.empty()) rule.older_than_hours = parse_age_hours(older_than);
    if (!prune) {
        if (yes || !older_than.empty() || allow_permanent)
            throw Error(ErrorKind::usage, "--older-than, --yes and --allow-permanent go with --prune");
        return rule;
    }
    if (rule.older_than_hours <= 0)
        throw Error(ErrorKind::usage, "--prune needs --older-than", "e.g. --prune --older-than 7d");
    rule.yes = yes;
    // Pruning looks at one retention: temp unless named; permanent only when allowed.
    if (!retention.empty()) rule.retention = retention;
    if (rule.retention == "permanent" && !allow_permanent)
        throw Error(ErrorKind::usage, "dump sets under permanent/ are kept unless --allow-permanent is given",
                    "prune temp/ (the default), or add --allow-permanent");
    return rule;
}

long age_hours(const std::string& timestamp, const std::string& now_utc) {
    return static_cast<long>((parse_utc(now_utc) - parse_utc(timestamp)) / 3600);
}

bool due(const PruneRule& rule, const std::string& retention, const std::string& timestamp,
         const std::string& now_utc) {
    return retention == rule.retention && age_hours(timestamp, now_utc) >= rule.older_than_hours;
}

std::string size_text(std::uint64_t bytes) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string age_text(long hours) {
    return hours >= 48 ? fmt::format("{}d {}h old", hours / 24, hours % 24) : fmt::format("{}h old", hours);
}

std::vector<ListedSet> list_sets(Store& store, const std::string& schema, const std::string& retention) {
    std::map<std::string, ListedSet> by_dir;
    const std::string encoded_schema = schema.empty() ? std::string() : encode_path_component(schema);
    for (const auto& object : store.list(retention.empty() ? std::string() : retention + "/")) {
        // <retention>/<database>/schema/<schema>/<timestamp>/<file...>
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            auto slash = object.path.find('/', start);
            if (slash == std::string::npos) break;
            parts.push_back(object.path.substr(start, slash - start));
            start = slash + 1;
        }
        if (parts.size() != 5 || parts[0].empty() || parts[1].empty() || parts[2] != "schema" ||
            !is_dump_set_timestamp(parts[4]) || start >= object.path.size())
            continue;
        if (!retention.empty() && parts[0] != retention) continue;
        if (!schema.empty() && parts[3] != encoded_schema) continue;
        const std::string dir = object.path.substr(0, start - 1);
        auto [it, fresh] = by_dir.try_emplace(dir);
        ListedSet& set = it->second;
        if (fresh) {
            set.dir = dir;
            set.retention = parts[0];
            set.database = decode_path_component(parts[1]);
            set.schema = decode_path_component(parts[3]);
            set.timestamp = parts[4];
        }
        ++set.files;
        set.bytes += object.size;
        if (object.path == manifest_path(dir)) set.complete = true;
    }
    std::vector<ListedSet> out;
    out.reserve(by_dir.size());
    for (auto& [_, set] : by_dir) out.push_back(std::move(set));
    std::stable_sort(out.begin(), out.end(),
                     [](const ListedSet& a, const ListedSet& b) { return a.timestamp < b.timestamp; });
    return out;
}

std::size_t delete_set(Store& store, const ListedSet& set) {
    const std::string manifest = manifest_path(set.dir);
    // Checked again right before: the listing may be minutes old.
    if (!store.stat(manifest))
        throw Error(ErrorKind::not_found, "dump set " + set.dir + " has no manifest.json (any more)",
                    "an incomplete set is not pruned; list the sets again");
    store.remove(manifest);
    std::size_t removed = 1;
    for (const auto& object : store.list(set.dir + "/")) {
        store.remove(object.path);
        ++removed;
    }
    // The set's emptied folders, its own included (a folder under the
    // schema's that holds nothing has no writer in it: a writer creates
    // its folder with its first object).
    store.remove_empty_folders(set.dir.substr(0, set.dir.rfind('/') + 1));
    return removed;
}

}  // namespace dbclone::dumpset
