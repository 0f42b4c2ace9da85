#include "engine/postgres/catalog/ddl_order.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace dbclone::pg {

namespace {
int kind_priority(const std::string& kind) {
    static const std::map<std::string, int> priorities = {
        {"TYPE", 1},  {"DOMAIN", 1},    {"SEQUENCE", 2}, {"FUNCTION", 3},          {"PROCEDURE", 3},
        {"TABLE", 4}, {"AGGREGATE", 5}, {"VIEW", 6},     {"MATERIALIZED VIEW", 7},
    };
    auto it = priorities.find(kind);
    return it == priorities.end() ? 9 : it->second;
}
}  // namespace

void order_entries(SchemaCatalog& catalog) {
    std::vector<DdlEntry> pre;
    std::vector<DdlEntry> post;
    for (auto& e : catalog.entries) (e.section == Section::pre_data ? pre : post).push_back(std::move(e));

    // Kahn's algorithm; `ready` is ordered so the result is deterministic.
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
    ordered.reserve(catalog.entries.size());
    while (!ready.empty() || !blocked.empty()) {
        std::size_t next;
        if (!ready.empty()) {
            next = *ready.begin();
            ready.erase(ready.begin());
        } else {
            next = *blocked.begin();
            blocked.erase(blocked.begin());
            catalog.warnings.push_back("dependency cycle broken at " + entry_label(pre[next]) +
                                       ": it may fail to create on the target");
        }
        for (std::size_t other : unblocks[next]) {
            if (waits_for[other].erase(next) && waits_for[other].empty() && blocked.erase(other))
                ready.insert(other);
        }
        ordered.push_back(std::move(pre[next]));
    }
    // Materialized views refresh in the order they were created.
    std::map<std::string, std::size_t> matview_position;
    for (std::size_t i = 0; i < ordered.size(); ++i)
        if (ordered[i].kind == "MATERIALIZED VIEW") matview_position[ordered[i].name] = i;
    std::stable_sort(post.begin(), post.end(), [&](const DdlEntry& a, const DdlEntry& b) {
        if (a.group != b.group) return a.group < b.group;
        if (a.kind == "REFRESH MATERIALIZED VIEW" && b.kind == a.kind)
            return matview_position[a.name] < matview_position[b.name];
        return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
    });
    for (auto& e : post) ordered.push_back(std::move(e));
    catalog.entries = std::move(ordered);
}

}  // namespace dbclone::pg
