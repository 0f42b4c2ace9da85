#include "engine/postgres/pg_options.h"

#include <fmt/format.h>

#include <set>

#include "core/error.h"

namespace dbclone::pg {

namespace {

const std::set<std::string>& names() {
    static const std::set<std::string> n = {"owner",
                                            "role-map",
                                            "no-acl",
                                            "create-missing-roles",
                                            "create-extensions",
                                            "enable-row-security",
                                            "no-security-labels"};
    return n;
}

std::string value(const Request& r, const std::string& key) {
    auto it = r.engine_options.find(key);
    return it == r.engine_options.end() ? std::string() : it->second;
}

// "a:b,c:d" -> {a: b, c: d}. Role names with ':' or ',' cannot be mapped
// (rare enough; the error says so).
std::map<std::string, std::string> parse_role_map(const std::string& text) {
    std::map<std::string, std::string> out;
    std::size_t at = 0;
    while (at <= text.size() && !text.empty()) {
        auto comma = text.find(',', at);
        auto pair = text.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        auto colon = pair.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size() ||
            pair.find(':', colon + 1) != std::string::npos)
            throw Error(ErrorKind::usage,
                        fmt::format("--role-map: '{}' is not SOURCE_ROLE:TARGET_ROLE", pair),
                        "write --role-map src_role:dst_role[,src2:dst2...] (role names as the catalog "
                        "spells them, without quotes)");
        auto [it, fresh] = out.emplace(pair.substr(0, colon), pair.substr(colon + 1));
        if (!fresh && it->second != pair.substr(colon + 1))
            throw Error(ErrorKind::usage, fmt::format("--role-map names role {} twice", it->first));
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    return out;
}

}  // namespace

bool is_pg_option(const std::string& name) {
    return names().count(name) != 0;
}

PgOptions parse_pg_options(const Request& r) {
    PgOptions o;
    o.owner = value(r, "owner");
    o.role_map = parse_role_map(value(r, "role-map"));
    o.no_acl = value(r, "no-acl") == "true";
    o.create_missing_roles = value(r, "create-missing-roles") == "true";
    o.create_extensions = value(r, "create-extensions") == "true";
    o.enable_row_security = value(r, "enable-row-security") == "true";
    o.no_security_labels = value(r, "no-security-labels") == "true";
    if (o.no_acl && !o.role_map.empty())
        throw Error(ErrorKind::usage, "--role-map maps grantees but --no-acl copies no grants",
                    "use one of them");
    return o;
}

std::string mapped_role(const PgOptions& options, const std::string& source_role) {
    auto it = options.role_map.find(source_role);
    return it == options.role_map.end() ? source_role : it->second;
}

}  // namespace dbclone::pg
