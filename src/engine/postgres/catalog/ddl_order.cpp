#include "engine/postgres/catalog/ddl_order.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "engine/postgres/catalog/builder.h"

namespace dbclone::pg {

namespace {
int kind_priority(const std::string& kind) {
    static const std::map<std::string, int> priorities = {
        {"EXTENSION", -1},
        {"COLLATION", 0},
        {"TEXT SEARCH DICTIONARY", 0},
        {"TEXT SEARCH CONFIGURATION", 0},
        {"TYPE", 1},
        {"DOMAIN", 1},
        {"SEQUENCE", 2},
        {"FUNCTION", 3},
        {"PROCEDURE", 3},
        {"CONVERSION", 3},
        {"OPERATOR", 4},
        {"TABLE", 4},
        {"OPERATOR FAMILY", 4},
        {"OPERATOR CLASS", 5},
        {"AGGREGATE", 5},
        {"VIEW", 6},
        {"MATERIALIZED VIEW", 7},
    };
    auto it = priorities.find(kind);
    return it == priorities.end() ? 9 : it->second;
}

// Stable topological order by deps (Kahn's algorithm; `ready` is ordered so
// the result is deterministic), ties by kind then name. A cycle is broken at
// the lowest-ranked waiting entry and reported.
std::vector<DdlEntry> topological(std::vector<DdlEntry> pre, std::vector<std::string>& warnings) {
    std::map<std::string, std::size_t> index_of_key;
    for (std::size_t i = 0; i < pre.size(); ++i)
        if (!pre[i].key.empty()) index_of_key[pre[i].key] = i;
    std::vector<std::set<std::size_t>> waits_for(pre.size());
    std::vector<std::vector<std::size_t>> unblocks(pre.size());
    for (std::size_t i = 0; i < pre.size(); ++i) {
        for (const auto& dep : pre[i].deps) {
            auto it = index_of_key.find(dep);
            if (it == index_of_key.end() || it->second == i) continue;
            if (waits_for[i].insert(it->second).second) unblocks[it->second].push_back(i);
        }
    }
    auto rank = [&](std::size_t i) { return std::make_tuple(kind_priority(pre[i].kind), pre[i].name, i); };
    auto by_rank = [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); };
    std::set<std::size_t, decltype(by_rank)> ready(by_rank);
    std::set<std::size_t, decltype(by_rank)> blocked(by_rank);
    for (std::size_t i = 0; i < pre.size(); ++i) (waits_for[i].empty() ? ready : blocked).insert(i);

    std::vector<DdlEntry> ordered;
    ordered.reserve(pre.size());
    while (!ready.empty() || !blocked.empty()) {
        std::size_t next;
        if (!ready.empty()) {
            next = *ready.begin();
            ready.erase(ready.begin());
        } else {
            next = *blocked.begin();
            blocked.erase(blocked.begin());
            warnings.push_back("dependency cycle broken at " + entry_label(pre[next]) +
                               ": it may fail to create on the target");
        }
        for (std::size_t other : unblocks[next]) {
            if (waits_for[other].erase(next) && waits_for[other].empty() && blocked.erase(other))
                ready.insert(other);
        }
        ordered.push_back(std::move(pre[next]));
    }
    return ordered;
}

// Pre-data entries that need a post-data object first (a view grouping by a
// primary key needs the key), and everything that needs them in turn, move
// after the key constraints, as pg_dump's dependency sort puts them. Tables
// never move: the data needs them.
std::vector<DdlEntry> split_off_constraint_dependents(std::vector<DdlEntry>& pre,
                                                      const std::vector<DdlEntry>& post) {
    std::set<std::string> later;
    for (const auto& e : post)
        if (!e.key.empty()) later.insert(e.key);
    std::vector<bool> moved(pre.size(), false);
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < pre.size(); ++i) {
            if (moved[i] || pre[i].kind == "TABLE") continue;
            if (std::none_of(pre[i].deps.begin(), pre[i].deps.end(),
                             [&](const std::string& d) { return later.count(d) > 0; }))
                continue;
            moved[i] = changed = true;
            if (!pre[i].key.empty()) later.insert(pre[i].key);
        }
    }
    std::vector<DdlEntry> stay, go;
    for (std::size_t i = 0; i < pre.size(); ++i) (moved[i] ? go : stay).push_back(std::move(pre[i]));
    pre = std::move(stay);
    return go;
}
}  // namespace

void order_entries(SchemaCatalog& catalog) {
    std::vector<DdlEntry> pre;
    std::vector<DdlEntry> post;
    for (auto& e : catalog.entries) (e.section == Section::pre_data ? pre : post).push_back(std::move(e));

    auto deferred = split_off_constraint_dependents(pre, post);
    std::vector<DdlEntry> ordered = topological(std::move(pre), catalog.warnings);
    for (auto& e : topological(std::move(deferred), catalog.warnings)) {
        e.section = Section::post_data;
        e.group = detail::kDeferredView;
        post.push_back(std::move(e));
    }
    // Materialized views refresh in the order they were created.
    std::map<std::string, std::size_t> matview_position;
    for (std::size_t i = 0; i < ordered.size(); ++i)
        if (ordered[i].kind == "MATERIALIZED VIEW") matview_position[ordered[i].name] = i;
    for (std::size_t i = 0; i < post.size(); ++i)
        if (post[i].kind == "MATERIALIZED VIEW") matview_position[post[i].name] = ordered.size() + i;
    std::stable_sort(post.begin(), post.end(), [&](const DdlEntry& a, const DdlEntry& b) {
        if (a.group != b.group) return a.group < b.group;
        if (a.group == detail::kDeferredView) return false;  // already in dependency order
        if (a.kind == "REFRESH MATERIALIZED VIEW" && b.kind == a.kind)
            return matview_position[a.name] < matview_position[b.name];
        return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
    });
    for (auto& e : post) ordered.push_back(std::move(e));
    catalog.entries = std::move(ordered);
}

}  // namespace dbclone::pg
