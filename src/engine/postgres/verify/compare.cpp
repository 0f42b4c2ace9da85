#include "engine/postgres/verify/compare.h"

#include <fmt/format.h>

#include <set>

#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/remap/remap.h"
#include "engine/postgres/verify/definition_compare.h"

namespace dbclone::pg {

namespace {
// Where two definitions part, with a little context, on one line.
std::string first_difference(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    auto excerpt = [&](const std::string& s) {
        std::string e = s.substr(i > 20 ? i - 20 : 0, 60);
        for (char& c : e)
            if (c == '\n') c = ' ';
        return e;
    };
    return fmt::format("source '...{}...' vs target '...{}...'", excerpt(a), excerpt(b));
}
}  // namespace

void compare_inventory(const SchemaCatalog& source, const SchemaCatalog& target,
                       const std::set<std::string>& target_roles, Report& report, bool target_keeps_own,
                       const Redeparse& redeparse, bool rewrite_bodies) {
    std::map<std::string, const DdlEntry*> theirs;
    for (const auto& e : target.entries) theirs[entry_label(e)] = &e;
    std::map<std::string, std::size_t> matched_per_kind;
    std::set<std::string> seen;
    std::vector<DdlEntry> differing;  // source entries, remapped, whose text differs
    for (const auto& e : source.entries) {
        auto label = entry_label(e);
        seen.insert(label);
        auto it = theirs.find(label);
        if (it == theirs.end()) {
            bool missing_role = !e.role.empty() && !target_roles.count(e.role);
            report.add("objects", label, missing_role ? CheckStatus::warn : CheckStatus::fail,
                       missing_role ? "not on target: role " + quote_ident(e.role) + " does not exist there"
                                    : "missing on target");
            continue;
        }
        // The source's definition as the copy must read: its schema name
        // rewritten to the copy's, as the load did.
        DdlEntry expected = e;
        expected.sql =
            remap::remap_schema(e.sql, source.schema, target.schema, {.rewrite_bodies = rewrite_bodies}).sql;
        // Between releases the same definition may print differently.
        if (it->second->sql != expected.sql && comparable_definition(expected, target.schema) !=
                                                   comparable_definition(*it->second, target.schema)) {
            differing.push_back(std::move(expected));
            continue;
        }
        ++matched_per_kind[e.kind];
    }
    std::map<std::string, std::string> again;
    if (redeparse && !differing.empty()) again = redeparse(differing);
    std::size_t redeparsed = 0;
    for (const auto& e : differing) {
        auto label = entry_label(e);
        const auto& copy = theirs.at(label)->sql;
        auto it = again.find(label);
        if (it != again.end() && it->second == copy) {
            ++redeparsed;
            ++matched_per_kind[e.kind];
            continue;
        }
        report.add("objects", label, CheckStatus::fail,
                   "definition differs: " + first_difference(e.sql, copy));
    }
    if (redeparsed > 0)
        report.add("objects", "re-deparsed", CheckStatus::info,
                   fmt::format("{} definition(s) print differently but equal the source's created again "
                               "on the target server",
                               redeparsed));
    for (const auto& e : target.entries)
        if (!seen.count(entry_label(e)))
            report.add("objects", entry_label(e), target_keeps_own ? CheckStatus::info : CheckStatus::fail,
                       target_keeps_own ? "on target only: the target's own object, kept" : "on target only");
    for (const auto& [kind, n] : matched_per_kind)
        report.add("objects", kind, CheckStatus::pass, fmt::format("{} equal by name and definition", n));
}

void compare_tables(const std::vector<TableData>& tables,
                    const std::map<std::string, TableCopyResult>& source_tables,
                    const std::map<std::string, TableCopyResult>& target_tables, Report& report) {
    for (const auto& t : tables) {
        auto s = source_tables.find(t.name);
        auto d = target_tables.find(t.name);
        if (s == source_tables.end() || d == target_tables.end()) {
            report.add("rows", t.name, CheckStatus::fail, "table missing on one side");
            continue;
        }
        if (s->second.rows != d->second.rows) {
            report.add("rows", t.name, CheckStatus::fail,
                       fmt::format("source {} rows, target {} rows", s->second.rows, d->second.rows));
            continue;
        }
        report.add("rows", t.name, CheckStatus::pass, fmt::format("{} rows", s->second.rows));
        if (s->second.checksum != d->second.checksum)
            report.add(
                "checksums", t.name, CheckStatus::fail,
                fmt::format("content differs: source {}, target {}", s->second.checksum, d->second.checksum));
        else
            report.add("checksums", t.name, CheckStatus::pass, s->second.checksum);
    }
}

void compare_sequences(const SchemaCatalog& source, const SchemaCatalog& target, Report& report) {
    std::map<std::string, const SequenceValue*> theirs;
    for (const auto& s : target.sequences) theirs[s.name] = &s;
    for (const auto& s : source.sequences) {
        auto it = theirs.find(s.name);
        if (it == theirs.end()) {
            report.add("sequences", s.name, CheckStatus::fail, "missing on target");
        } else if (it->second->last_value != s.last_value || it->second->is_called != s.is_called) {
            report.add("sequences", s.name, CheckStatus::fail,
                       fmt::format("source last_value {}{}, target {}{}", s.last_value,
                                   s.is_called ? "" : " (not called)", it->second->last_value,
                                   it->second->is_called ? "" : " (not called)"));
        } else {
            report.add("sequences", s.name, CheckStatus::pass, "last_value " + s.last_value);
        }
    }
}

void compare_default_privileges(const SchemaCatalog& source, const SchemaCatalog& target, Report& report,
                                bool target_keeps_own,
                                const std::function<std::string(const DefaultPrivilege&)>& not_copied) {
    const auto line = [](const DefaultPrivilege& d) {
        return fmt::format("FOR ROLE {} GRANT {} ON {} TO {}{}", quote_ident(d.role), d.privilege,
                           d.object_type, d.grantee == "PUBLIC" ? "PUBLIC" : quote_ident(d.grantee),
                           d.grantable ? " WITH GRANT OPTION" : "");
    };
    std::set<std::string> ours;
    for (const auto& d : source.default_privileges) ours.insert(line(d));
    std::set<std::string> theirs;
    for (const auto& d : target.default_privileges) theirs.insert(line(d));
    std::set<std::string> reported;
    for (const auto& d : source.default_privileges) {
        const auto l = line(d);
        if (!reported.insert(l).second) continue;
        if (theirs.count(l)) {
            report.add("default privileges", l, CheckStatus::pass, "as on the source");
            continue;
        }
        const std::string why = not_copied ? not_copied(d) : "";
        if (!why.empty())
            report.add("default privileges", l, CheckStatus::warn,
                       "not copied (" + why + "): see the warnings");
        else
            report.add("default privileges", l, CheckStatus::fail, "missing on target");
    }
    for (const auto& l : theirs)
        if (!ours.count(l))
            report.add("default privileges", l, target_keeps_own ? CheckStatus::info : CheckStatus::fail,
                       target_keeps_own ? "the target schema's own" : "only on target");
}

void compare_schema_labels(const SchemaCatalog& source, const SchemaCatalog& target, Report& report,
                           bool target_keeps_own) {
    const auto lines = [](const SchemaCatalog& c) {
        std::map<std::string, std::string> out;  // provider -> label
        for (const auto& l : c.schema_labels) out[l.provider] = l.label;
        return out;
    };
    const auto ours = lines(source);
    const auto theirs = lines(target);
    for (const auto& [provider, label] : ours) {
        const auto name = "FOR " + quote_ident(provider) + " ON SCHEMA";
        auto it = theirs.find(provider);
        if (it == theirs.end())
            report.add("security labels", name, CheckStatus::fail, "missing on target");
        else if (it->second != label)
            report.add("security labels", name, CheckStatus::fail,
                       fmt::format("source {}, target {}", quote_literal(label), quote_literal(it->second)));
        else
            report.add("security labels", name, CheckStatus::pass, quote_literal(label));
    }
    for (const auto& [provider, label] : theirs)
        if (!ours.count(provider))
            report.add("security labels", "FOR " + quote_ident(provider) + " ON SCHEMA",
                       target_keeps_own ? CheckStatus::info : CheckStatus::fail,
                       target_keeps_own ? "the target schema's own" : "only on target");
}

void check_invalid_objects(Connection& target, const std::string& schema, Report& report) {
    auto r = target.query(
        "SELECT 'INDEX ' || c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT i.indisvalid "
        "AND c.relkind <> 'I' ORDER BY 1",
        {schema});
    for (int i = 0; i < r.rows(); ++i)
        report.add("invalid objects", r.get(i, 0), CheckStatus::fail, "not valid");
    if (r.rows() == 0) report.add("invalid objects", "indexes", CheckStatus::pass, "no invalid index");
}

}  // namespace dbclone::pg
