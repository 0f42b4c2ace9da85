#include "engine/postgres/catalog/reader.h"

#include <fmt/format.h>

#include "core/embedded_sql.h"
#include "core/error.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/catalog/ddl_order.h"
#include "engine/postgres/catalog/grant_sql.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace detail {

DdlEntry& Builder::pre(std::string kind, std::string name, std::string sql, std::string key) {
    DdlEntry e;
    e.kind = std::move(kind);
    e.name = std::move(name);
    e.section = Section::pre_data;
    e.sql = std::move(sql);
    e.key = std::move(key);
    catalog.entries.push_back(std::move(e));
    return catalog.entries.back();
}

DdlEntry& Builder::post(std::string kind, std::string name, int group, std::string sql, std::string table) {
    DdlEntry e;
    e.kind = std::move(kind);
    e.name = std::move(name);
    e.section = Section::post_data;
    e.group = group;
    e.sql = std::move(sql);
    e.table = std::move(table);
    catalog.entries.push_back(std::move(e));
    return catalog.entries.back();
}

void Builder::comment(const std::string& object_sql, const std::string& label,
                      const std::optional<std::string>& text) {
    if (!text) return;
    post("COMMENT", label, kComment, fmt::format("COMMENT ON {} IS {}", object_sql, quote_literal(*text)));
}

void Builder::grants(const std::string& object_sql, const std::string& label,
                     const std::optional<std::string>& grants_json, bool has_acl, bool revoke_public_default,
                     const std::string& table) {
    bool public_granted = false;
    // grantee -> (privileges, privileges with grant option)
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> by_grantee;
    if (grants_json) {
        for (const auto& g : nlohmann::json::parse(*grants_json)) {
            auto grantee = g.at("grantee").get<std::string>();
            auto privilege = g.at("privilege").get<std::string>();
            if (grantee == "PUBLIC") public_granted = true;
            auto& slot = by_grantee[grantee];
            (g.at("grantable").get<bool>() ? slot.second : slot.first).push_back(privilege);
        }
    }
    if (revoke_public_default && has_acl && !public_granted)
        post("ACL", "REVOKE PUBLIC ON " + label, kGrant,
             fmt::format("REVOKE ALL ON {} FROM PUBLIC", object_sql), table);
    for (const auto& [grantee, privs] : by_grantee) {
        for (int grantable = 0; grantable < 2; ++grantable) {
            const auto& list = grantable ? privs.second : privs.first;
            if (list.empty()) continue;
            std::string joined = fmt::format("{}", fmt::join(list, ", "));
            auto& e = post("GRANT",
                           fmt::format("{} ON {} TO {}{}", joined, label, grantee,
                                       grantable ? " WITH GRANT OPTION" : ""),
                           kGrant, grant_sql(joined, object_sql, grantee, grantable != 0), table);
            if (grantee != "PUBLIC") e.role = grantee;
        }
    }
}

std::string replace_after(const std::string& text, std::size_t from, const std::string& qualified,
                          const std::string& replacement, const std::string& what) {
    auto pos = text.find(qualified, from);
    if (from > text.size() || pos == std::string::npos)
        throw Error(ErrorKind::internal, fmt::format("unexpected server output for {}: '{}' not found in: {}",
                                                     what, qualified, text.substr(0, 300)));
    return text.substr(0, pos) + replacement + text.substr(pos + qualified.size());
}

}  // namespace detail

bool schema_exists(Connection& conn, const std::string& schema) {
    return conn.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", {schema}).rows() == 1;
}

SchemaCatalog read_schema_catalog(Connection& conn, const std::string& schema) {
    auto info = conn.query(
        "SELECT obj_description(n.oid, 'pg_namespace') AS comment, "
        "(SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE "
        "pg_get_userbyid(a.grantee) END, 'privilege', a.privilege_type, 'grantable', a.is_grantable)) "
        "FROM aclexplode(n.nspacl) a WHERE a.grantee <> n.nspowner) AS grants "
        "FROM pg_namespace n WHERE n.nspname = $1",
        {schema});
    if (info.rows() != 1)
        throw Error(ErrorKind::not_found, fmt::format("schema {} does not exist in the {} database",
                                                      quote_ident(schema), conn.role()));
    // Deparsers print the schema's own objects unqualified under this path
    // (Connection::set: also through a transaction-mode pooler).
    conn.set("search_path", quote_ident(schema) + ", pg_catalog");

    detail::Builder b{conn, schema, {}, {}};
    b.catalog.schema = schema;
    b.catalog.comment = info.get_opt(0, "comment").value_or("");
    if (auto g = info.get_opt(0, "grants")) {
        for (const auto& grant : nlohmann::json::parse(*g)) {
            auto grantee = grant.at("grantee").get<std::string>();
            b.catalog.schema_grants.push_back(
                {grant.at("privilege").get<std::string>(), grantee, grant.at("grantable").get<bool>()});
        }
    }
    with_context("checking object kinds", [&] { detail::check_supported_objects(b); });
    // Security labels: entries applied after the objects (with the comments);
    // the target needs each provider loaded (checked before it is touched).
    with_context("reading security labels", [&] {
        auto l = conn.query(std::string(embedded_sql("engine/postgres/catalog/sql/security_labels.sql")),
                            {schema});
        for (int i = 0; i < l.rows(); ++i) {
            const auto provider = l.get(i, "provider");
            const auto object = l.get(i, "object");
            b.post("SECURITY LABEL", fmt::format("FOR {} ON {}", provider, object), detail::kComment,
                   fmt::format("SECURITY LABEL FOR {} ON {} IS {}", quote_ident(provider), object,
                               quote_literal(l.get(i, "label"))));
        }
        auto s = conn.query(
            std::string(embedded_sql("engine/postgres/catalog/sql/schema_security_labels.sql")), {schema});
        for (int i = 0; i < s.rows(); ++i)
            b.catalog.schema_labels.push_back({s.get(i, "provider"), s.get(i, "label")});
    });
    with_context("reading default privileges", [&] {
        auto d = conn.query(std::string(embedded_sql("engine/postgres/catalog/sql/default_privileges.sql")),
                            {schema});
        for (int i = 0; i < d.rows(); ++i)
            b.catalog.default_privileges.push_back({d.get(i, "role"), d.get(i, "object_type"),
                                                    d.get(i, "privilege"), d.get(i, "grantee"),
                                                    d.get_bool(i, "grantable")});
    });
    with_context("reading extensions", [&] { detail::read_extensions(b); });
    with_context("reading collations", [&] { detail::read_collations(b); });
    with_context("reading text search objects", [&] { detail::read_text_search(b); });
    with_context("reading types", [&] { detail::read_types(b); });
    with_context("reading sequences", [&] { detail::read_sequences(b); });
    with_context("reading functions", [&] { detail::read_functions(b); });
    with_context("reading operators and conversions", [&] { detail::read_operators(b); });
    with_context("reading operator classes and families", [&] { detail::read_operator_classes(b); });
    with_context("reading tables", [&] { detail::read_tables(b); });
    with_context("reading constraints", [&] { detail::read_constraints(b); });
    with_context("reading indexes", [&] { detail::read_indexes(b); });
    with_context("reading views", [&] { detail::read_views(b); });
    with_context("reading statistics objects", [&] { detail::read_statistics_objects(b); });
    with_context("reading triggers, rules and policies", [&] { detail::read_triggers_rules_policies(b); });
    with_context("reading dependencies", [&] { detail::read_dependencies(b); });
    with_context("reading sequence values", [&] { detail::read_sequence_values(b); });
    with_context("reading the extensions the schema uses", [&] { detail::read_extension_uses(b); });
    order_entries(b.catalog);
    // After ordering: it needs to know which relations come after the data.
    with_context("reading object-identifier columns", [&] { detail::find_rows_naming_schema(b); });
    conn.set("search_path", "pg_catalog");
    return std::move(b.catalog);
}

}  // namespace dbclone::pg
