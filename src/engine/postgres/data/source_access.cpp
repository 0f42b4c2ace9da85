#include "engine/postgres/data/source_access.h"

#include <fmt/format.h>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

std::string names(const Result& r, int column) {
    std::string out;
    for (int i = 0; i < r.rows(); ++i) out += (i ? ", " : "") + quote_ident(r.get(i, column));
    return out;
}

}  // namespace

std::vector<std::string> check_source_access(Connection& source, const std::string& schema,
                                             bool allow_row_security) {
    const auto role = source.query("SELECT current_user").get(0, 0);
    if (source.query("SELECT pg_catalog.has_schema_privilege($1, 'USAGE')", {schema}).get(0, 0) != "t")
        throw Error(
            ErrorKind::unsupported,
            fmt::format("role {} may not use schema {} of the source", quote_ident(role),
                        quote_ident(schema)),
            fmt::format("on the source, as the schema's owner: GRANT USAGE ON SCHEMA {} TO {}; GRANT "
                        "SELECT ON ALL TABLES IN SCHEMA {} TO {}; GRANT SELECT ON ALL SEQUENCES IN SCHEMA {} "
                        "TO {}",
                        quote_ident(schema), quote_ident(role), quote_ident(schema), quote_ident(role),
                        quote_ident(schema), quote_ident(role)));
    auto unreadable = source.query(
        "SELECT c.relname, c.relkind = 'S' FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'S', 'm') "
        "AND NOT pg_catalog.has_table_privilege(c.oid, 'SELECT') ORDER BY 1",
        {schema});
    if (unreadable.rows() > 0) {
        std::string grants;
        for (int i = 0; i < unreadable.rows(); ++i)
            grants += fmt::format("{}GRANT SELECT ON {}{} TO {}", i ? "; " : "",
                                  unreadable.get(i, 1) == "t" ? "SEQUENCE " : "",
                                  qualify(schema, unreadable.get(i, 0)), quote_ident(role));
        throw Error(ErrorKind::unsupported,
                    fmt::format("role {} may not read {} of schema {} on the source; nothing was changed",
                                quote_ident(role), names(unreadable, 0), quote_ident(schema)),
                    "on the source, as the owner: " + grants);
    }
    auto guarded = tables_under_row_security(source, schema);
    if (guarded.empty() || allow_row_security) return guarded;
    std::string listed;
    for (const auto& t : guarded) listed += (listed.empty() ? "" : ", ") + quote_ident(t);
    throw Error(ErrorKind::unsupported,
                fmt::format("row-level security policies apply to role {} on {} of schema {}: rows may be "
                            "hidden from it, and dbclone does not copy fewer rows than the table holds; "
                            "nothing was changed",
                            quote_ident(role), listed, quote_ident(schema)),
                row_security_hint(source, schema, guarded) +
                    "; or, to copy only the rows the policies show this role, --enable-row-security");
}

namespace {

// Tables of `schema` (all, or those in `only`) under row-level security that
// applies to the connected role and also meet `extra` (SQL over pg_class c).
std::vector<std::string> tables_under_policies(Connection& conn, const std::string& schema,
                                               const std::set<std::string>& only, const std::string& extra) {
    auto r = conn.query(
        "SELECT c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relrowsecurity "
        "AND pg_catalog.row_security_active(c.oid)" +
            extra + " ORDER BY 1",
        {schema});
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i)
        if (only.empty() || only.count(r.get(i, 0))) out.push_back(r.get(i, 0));
    return out;
}

}  // namespace

std::vector<std::string> tables_under_row_security(Connection& conn, const std::string& schema,
                                                   const std::set<std::string>& only) {
    return tables_under_policies(conn, schema, only, "");
}

std::vector<std::string> tables_forced_on_owner(Connection& conn, const std::string& schema,
                                                const std::set<std::string>& only) {
    return tables_under_policies(
        conn, schema, only, " AND c.relforcerowsecurity AND pg_catalog.pg_has_role(c.relowner, 'USAGE')");
}

std::string row_security_hint(Connection& conn, const std::string& schema,
                              const std::vector<std::string>& tables) {
    std::string no_force;
    std::string not_owned;
    for (const auto& t : tables) {
        // Owner (or member of the owning role) and FORCE: the owner may lift FORCE.
        auto o = conn.query(
            "SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') AND c.relforcerowsecurity "
            "FROM pg_catalog.pg_class c WHERE c.oid = $1::regclass",
            {qualify(schema, t)});
        if (o.rows() && o.get(0, 0) == "t")
            no_force += fmt::format("{}ALTER TABLE {} NO FORCE ROW LEVEL SECURITY",
                                    no_force.empty() ? "" : "; ", qualify(schema, t));
        else
            not_owned += (not_owned.empty() ? "" : ", ") + quote_ident(t);
    }
    std::string hint;
    if (!no_force.empty())
        hint = "the role owns tables with FORCE ROW LEVEL SECURITY: lift it for the run (" + no_force +
               "; FORCE ROW LEVEL SECURITY again afterwards)";
    if (!not_owned.empty())
        hint += fmt::format(
            "{}run as the owner of {} or as a role with BYPASSRLS (ALTER ROLE ... BYPASSRLS, "
            "granted by a superuser or the service's admin role)",
            hint.empty() ? "" : "; ", not_owned);
    return hint;
}

}  // namespace dbclone::pg
