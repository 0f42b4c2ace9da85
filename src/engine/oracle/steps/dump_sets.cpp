#include "engine/oracle/steps/dump_sets.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <set>
#include <string_view>

#include "core/error.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"

namespace dbclone::oracle {

std::string DumpSet::prefix() const {
    return retention + "/" + adb + "/schema/" + schema + "/" + timestamp + "/";
}

std::optional<DumpObject> parse_dump_object(const std::string& object_name) {
    // The last six '/'-separated segments are
    // <retention>/<adb>/schema/<schema>/<timestamp>/<file>; whatever precedes
    // them is the listing's own path, not part of the set.
    std::string_view rest = object_name;
    std::array<std::string_view, 6> seg;
    for (int i = 5; i >= 0; --i) {
        const auto slash = rest.rfind('/');
        if (slash == std::string_view::npos && i > 0) return std::nullopt;
        seg[i] = slash == std::string_view::npos ? rest : rest.substr(slash + 1);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(0, slash);
    }
    if (!is_path_word(seg[0]) || !is_path_word(seg[1]) || seg[2] != "schema" || !is_path_schema(seg[3]) ||
        !is_path_timestamp(seg[4]) || seg[5].empty())
        return std::nullopt;
    DumpObject o;
    o.set.retention = seg[0];
    o.set.adb = seg[1];
    o.set.schema = seg[3];
    o.set.timestamp = seg[4];
    o.file = seg[5];
    return o;
}

std::vector<DumpSet> group_dump_sets(const std::vector<std::pair<std::string, std::int64_t>>& objects) {
    std::map<std::string, DumpSet> by_prefix;
    for (const auto& [name, bytes] : objects) {
        auto o = parse_dump_object(name);
        if (!o) continue;
        DumpSet& s = by_prefix.try_emplace(o->set.prefix(), o->set).first->second;
        s.files.push_back(o->file);
        s.bytes += bytes;
        if (o->file == "export.log") s.has_export_log = true;
    }
    std::vector<DumpSet> out;
    out.reserve(by_prefix.size());
    for (auto& [_, s] : by_prefix) out.push_back(std::move(s));
    std::stable_sort(out.begin(), out.end(),
                     [](const DumpSet& a, const DumpSet& b) { return a.timestamp < b.timestamp; });
    return out;
}

Statement list_objects(const OracleOptions& o) {
    return query("list_objects.sql", {in("credential_name", o.credential), in("location_uri", o.bucket_uri)});
}

Statement delete_object(const OracleOptions& o, const std::string& object_uri) {
    return {plsql("delete_object.sql"), {in("credential_name", o.credential), in("object_uri", object_uri)}};
}

std::vector<DumpSet> list_dump_sets(OrdsClient& db, const OracleOptions& o) {
    std::vector<std::pair<std::string, std::int64_t>> objects;
    for (const auto& row : db.query(list_objects(o)))
        objects.emplace_back(text(row, "object_name"), static_cast<std::int64_t>(number(row, "bytes")));
    std::vector<DumpSet> out;
    for (auto& s : group_dump_sets(objects)) {
        if (!o.source_schema.empty() && s.schema != lower(o.source_schema)) continue;
        if (o.source_adb_given && s.adb != o.source_adb) continue;
        if (!o.any_retention && s.retention != o.retention) continue;
        out.push_back(std::move(s));
    }
    return out;
}

std::string apex_prefix_of(const std::string& schema_prefix, long app) {
    auto o = parse_dump_object(schema_prefix + "export.log");
    if (!o) throw Error(ErrorKind::internal, "not a dump set prefix: " + schema_prefix);
    return o->set.retention + "/" + o->set.adb + "/apex/" + std::to_string(app) + "/" + o->set.timestamp +
           "/";
}

Statement list_apex_files(const OracleOptions& o, const std::string& apex_prefix) {
    return query("list_apex_files.sql",
                 {in("credential_name", o.credential), in("location_uri", o.bucket_uri + apex_prefix)});
}

std::vector<std::string> apex_files(OrdsClient& db, const OracleOptions& o, const std::string& apex_prefix) {
    std::vector<std::string> out;
    for (const auto& row : db.query(list_apex_files(o, apex_prefix))) {
        // OBJECT_NAME relative to the bucket or to the URI given is not
        // documented (docs/oracle.md): both read as the name inside the prefix.
        std::string name = text(row, "object_name");
        if (auto at = name.find(apex_prefix); at != std::string::npos)
            name = name.substr(at + apex_prefix.size());
        if (!name.empty() && name.back() != '/') out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

Statement fetch_object(const OracleOptions& o, const std::string& uri) {
    return query("fetch_object.sql", {in("credential_name", o.credential), in("object_uri", uri)});
}

std::string object_text(OrdsClient& db, const OracleOptions& o, const std::string& uri) {
    auto rows = db.query(fetch_object(o, uri));
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return number(a, "piece_no") < number(b, "piece_no"); });
    std::string out;
    for (const auto& r : rows) out += text(r, "piece");
    return out;
}

namespace {

std::string listed(const std::vector<DumpSet>& sets) {
    std::string out;
    for (const auto& s : sets) out += (out.empty() ? "" : ", ") + s.prefix();
    return out;
}

}  // namespace

DumpSet choose_dump_set(const std::vector<DumpSet>& sets, const OracleOptions& o) {
    const std::string list_hint = "list them with: dbclone dumps <database> --bucket-uri " + o.bucket_uri +
                                  " --schema " + o.source_schema;
    std::vector<DumpSet> named;
    for (const auto& s : sets) {
        if (o.dump.empty()) {
            named.push_back(s);
        } else if (o.dump.find('/') != std::string::npos ? s.prefix() == o.dump + "/"
                                                         : s.timestamp == o.dump) {
            named.push_back(s);
        }
    }
    if (!o.dump.empty()) {
        if (named.empty())
            throw Error(ErrorKind::not_found,
                        "no dump set " + o.dump + " of schema " + o.source_schema + " in " + o.bucket_uri,
                        list_hint);
        if (named.size() > 1)
            throw Error(ErrorKind::usage, "--dump " + o.dump + " names several dump sets: " + listed(named),
                        "give the whole prefix, or --source-adb / --retention");
        if (!named[0].has_export_log)
            throw Error(ErrorKind::not_found,
                        "dump set " + named[0].prefix() + " has no export.log: its export never finished",
                        "choose another --dump; " + list_hint);
        return named[0];
    }
    std::vector<DumpSet> complete;
    for (const auto& s : named)
        if (s.has_export_log) complete.push_back(s);
    if (complete.empty())
        throw Error(ErrorKind::not_found,
                    "no finished dump set of schema " + o.source_schema + " in " + o.bucket_uri +
                        (sets.empty() ? "" : " (" + std::to_string(sets.size()) + " without export.log)"),
                    "export one first (dbclone export), or check --source-adb / --retention; " + list_hint);
    std::set<std::string> origins;
    for (const auto& s : complete) origins.insert(s.retention + "/" + s.adb);
    if (origins.size() > 1) {
        std::string names;
        for (const auto& n : origins) names += (names.empty() ? "" : ", ") + n;
        throw Error(
            ErrorKind::usage,
            "dump sets of schema " + o.source_schema + " come from several places (" + names + ")",
            "choose with --source-adb and --retention, or --dump <retention>/<adb>/schema/<schema>/<ts>");
    }
    return complete.back();  // ordered by timestamp
}

}  // namespace dbclone::oracle
