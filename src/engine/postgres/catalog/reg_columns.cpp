// Object-identifier values (regclass, regtype, regproc, ... columns) in the
// schema's tables that name the schema's own objects. Such a value is an
// OID; COPY prints it as a name, qualified unless the object is visible on
// the session's search_path. Every session that copies rows runs with
// search_path = <its side's schema>, pg_catalog (data/table_copy.h
// copy_rows_relative_to), so the source prints such a value unqualified
// ("item", "touch(integer)") and the target reads it back in the schema it
// loads into: the copy's value names the copy's object, in any mode (another
// database, the same database, a dump set, the staging schema renamed into
// place: a rename keeps OIDs).
// That is exact only where the name is unqualified on the source and the
// object exists on the target while rows load; the values where it is not
// are listed (rows_naming_schema) and such a load is refused
// (target/load_preflight), each named with the reason:
//  - a value printed qualified although its object is in the schema
//    (regproc/regoper of an overloaded name: the name alone is ambiguous),
//  - a regnamespace value (it names the schema itself, whose copy has
//    another name while it loads),
//  - a relation created after the rows (an index, a view that waits for a
//    key constraint); a load into the target's existing tables (refresh)
//    finds it there already, so those are kept apart
//    (rows_naming_later_relations) and checked against the target instead.
// Values naming objects elsewhere (pg_catalog, another schema) print
// qualified where needed and copy as they are. Reads only columns of these
// types, inside the run's snapshot; runs after order_entries (it needs to
// know which relations are created after the data).
#include <fmt/format.h>

#include <map>
#include <set>
#include <vector>

#include "core/embedded_sql.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg::detail {

namespace {

// Catalog keys ("pg_class:16390") of the objects created after the data.
std::set<std::string> created_after_data(const SchemaCatalog& catalog) {
    std::set<std::string> out;
    for (const auto& e : catalog.entries)
        if (e.section == Section::post_data && !e.key.empty()) out.insert(e.key);
    return out;
}

// Why one value naming an object of the schema cannot be loaded as the
// copy's object on any target ("" when it can, or when only its creation
// after the rows stands in the way: why_created_later).
// `qualified`: the server printed it with the schema's name in front.
std::string why_not_exact(const std::string& type, const std::string& printed, bool qualified) {
    if (type == "regnamespace") return "names the schema itself";
    if (qualified) return fmt::format("{} prints qualified (its name alone is ambiguous)", printed);
    return "";
}

// Why a relation named by a value is missing while a new copy loads its rows
// ("" when it is there): it is created after them.
std::string why_created_later(const std::string& printed, const std::string& relkind, const std::string& key,
                              const std::set<std::string>& after_data) {
    if (relkind == "i" || relkind == "I")
        return fmt::format("{} is an index, built after the rows are loaded", printed);
    if (after_data.count(key)) return fmt::format("{} is created after the rows are loaded", printed);
    return "";
}

}  // namespace

void find_rows_naming_schema(Builder& b) {
    auto cols =
        b.conn.query(std::string(embedded_sql("engine/postgres/catalog/sql/reg_columns.sql")), {b.schema});
    const auto after_data = created_after_data(b.catalog);
    std::vector<std::string> refused;
    std::vector<std::string> remapped;
    std::map<std::string, std::vector<std::string>> later;
    for (int i = 0; i < cols.rows(); ++i) {
        const auto table = cols.get(i, "relname");
        const auto column = cols.get(i, "attname");
        const auto type = cols.get(i, "type");
        const auto base_type = cols.get(i, "base_type");
        const auto where = cols.get(i, "where_schema");  // "pg_class.relnamespace"
        const auto dot = where.find('.');
        const auto catalog = where.substr(0, dot);
        const auto nsp_column = where.substr(dot + 1);
        const bool is_array = cols.get_bool(i, "is_array");
        const auto value = is_array ? std::string("v.oid") : fmt::format("t.{}", quote_ident(column));
        const auto from =
            is_array ? fmt::format("{} t, unnest(t.{}) AS v(oid)", quote_ident(table), quote_ident(column))
                     : quote_ident(table) + " t";
        // Each distinct object named, with how this session (search_path =
        // the schema, pg_catalog: as the copy's) prints it.
        const auto relkind = catalog == "pg_class" ? std::string(
                                                         "(SELECT c.relkind::text FROM pg_catalog.pg_class c "
                                                         "WHERE c.oid = o.oid)")
                                                   : std::string("''");
        auto n = b.conn.query(
            fmt::format(
                "SELECT o.oid, o.oid::pg_catalog.{0}::text AS printed, {1} AS relkind, count(*) AS n, "
                "pg_catalog.starts_with(o.oid::pg_catalog.{0}::text, pg_catalog.quote_ident($1) || '.') "
                "AS qualified "
                "FROM {2} JOIN pg_catalog.{3} o ON o.oid = {4} "
                "WHERE o.{5} = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1) "
                "GROUP BY o.oid ORDER BY 1",
                base_type, relkind, from, catalog, value, nsp_column),
            {b.schema});
        if (n.rows() == 0) continue;
        std::uint64_t values = 0;
        std::vector<std::string> reasons, later_reasons, later_relations;
        for (int j = 0; j < n.rows(); ++j) {
            values += std::stoull(n.get(j, "n"));
            const auto printed = n.get(j, "printed");
            auto why = why_not_exact(base_type, printed, n.get_bool(j, "qualified"));
            if (!why.empty()) reasons.push_back(why);
            auto created_later =
                why_created_later(printed, n.get(j, "relkind"), catalog + ":" + n.get(j, "oid"), after_data);
            if (!created_later.empty()) {
                later_reasons.push_back(created_later);
                later_relations.push_back(printed);
            }
        }
        const auto label = fmt::format("{}.{} ({}, {} value(s))", table, column, type, values);
        if (!reasons.empty()) {
            reasons.insert(reasons.end(), later_reasons.begin(), later_reasons.end());
            refused.push_back(fmt::format("{}: {}", label, fmt::join(reasons, "; ")));
        } else if (!later_reasons.empty()) {
            later[fmt::format("{}: {}", label, fmt::join(later_reasons, "; "))] = std::move(later_relations);
        } else {
            remapped.push_back(label);
        }
    }
    b.catalog.rows_naming_schema = std::move(refused);
    b.catalog.rows_naming_later_relations = std::move(later);
    b.catalog.reg_values_remapped = std::move(remapped);
    b.catalog.reg_values_relative = true;
}

}  // namespace dbclone::pg::detail
