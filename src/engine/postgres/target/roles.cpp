#include "engine/postgres/target/roles.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/embedded_sql.h"
#include "core/error.h"
#include "core/log.h"
#include "engine/postgres/catalog/grant_sql.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/target/target.h"

namespace dbclone::pg {

namespace {

bool is_acl_entry(const DdlEntry& e) {
    return e.kind == "GRANT" || e.kind == "ACL";
}

// Replaces `from` at the very end of `text` (before an optional
// " WITH GRANT OPTION") by `to`; GRANT entries end with their grantee.
std::string replace_grantee_suffix(const std::string& text, const std::string& from, const std::string& to) {
    static const std::string kOption = " WITH GRANT OPTION";
    std::string tail;
    std::string head = text;
    if (head.size() >= kOption.size() &&
        head.compare(head.size() - kOption.size(), kOption.size(), kOption) == 0) {
        tail = kOption;
        head.resize(head.size() - kOption.size());
    }
    const std::string old_suffix = " TO " + from;
    if (head.size() < old_suffix.size() ||
        head.compare(head.size() - old_suffix.size(), old_suffix.size(), old_suffix) != 0)
        throw Error(ErrorKind::internal, fmt::format("grant entry does not end with its grantee: {}", text));
    return head.substr(0, head.size() - old_suffix.size()) + " TO " + to + tail;
}

// Roles that may not be mapped away or created: PUBLIC is a keyword.
bool real_role(const std::string& r) {
    return !r.empty() && r != "PUBLIC";
}

std::string list(const std::vector<std::string>& roles) {
    std::string out;
    for (const auto& r : roles) out += (out.empty() ? "" : ", ") + quote_ident(r);
    return out;
}

bool may_hand_objects_to(Connection& t, const std::string& owner) {
    // 16+: ALTER ... OWNER needs SET ROLE rights on the new owner; before, membership.
    const char* how = t.server_version() >= 160000 ? "SET" : "MEMBER";
    auto r =
        t.query(fmt::format("SELECT rolsuper OR pg_catalog.pg_has_role($1, '{}') FROM pg_catalog.pg_roles "
                            "WHERE rolname = current_user",
                            how),
                {owner});
    return r.rows() == 1 && r.get(0, 0) == "t";
}

std::string current_role(Connection& t) {
    return t.query("SELECT current_user").get(0, 0);
}

}  // namespace

void apply_acl_options(PgRun& run) {
    const auto& o = run.options;
    auto& c = run.catalog;
    if (o.no_acl) {
        std::erase_if(c.entries, is_acl_entry);
        c.schema_grants.clear();
        c.default_privileges.clear();
        return;
    }
    if (o.role_map.empty()) return;
    for (auto& e : c.entries) {
        if (e.kind != "GRANT" || !real_role(e.role)) continue;
        const auto to = mapped_role(o, e.role);
        if (to == e.role) continue;
        e.sql = replace_grantee_suffix(e.sql, grantee_sql(e.role), grantee_sql(to));
        e.name = replace_grantee_suffix(e.name, e.role, to);
        e.role = to;
    }
    for (auto& g : c.schema_grants)
        if (real_role(g.grantee)) g.grantee = mapped_role(o, g.grantee);
    // Both roles of a default privilege are the source's: the creating role
    // and the grantee map alike.
    for (auto& d : c.default_privileges) {
        d.role = mapped_role(o, d.role);
        if (real_role(d.grantee)) d.grantee = mapped_role(o, d.grantee);
    }
}

void check_target_roles(PgRun& run) {
    auto& t = *run.target;
    const auto existing = target_roles(t);
    std::set<std::string> needed;
    for (const auto& e : run.catalog.entries)
        if (e.kind == "GRANT" && real_role(e.role)) needed.insert(e.role);
    for (const auto& g : run.catalog.schema_grants)
        if (real_role(g.grantee)) needed.insert(g.grantee);
    for (const auto& d : run.catalog.default_privileges)
        if (real_role(d.grantee)) needed.insert(d.grantee);
    if (!run.options.owner.empty()) needed.insert(run.options.owner);
    std::vector<std::string> missing;
    for (const auto& r : needed)
        if (!existing.count(r)) missing.push_back(r);
    if (!missing.empty() && !run.options.create_missing_roles) {
        std::string create;
        for (const auto& r : missing) create += fmt::format("CREATE ROLE {} NOLOGIN; ", quote_ident(r));
        throw Error(ErrorKind::not_found,
                    fmt::format("role(s) {} named by the copied grants{} do not exist on the target; nothing "
                                "was changed",
                                list(missing), run.options.owner.empty() ? "" : " or --owner"),
                    fmt::format("create them ({}) or pass --create-missing-roles (NOLOGIN, no password), map "
                                "them with --role-map SRC:DST, or copy no grants with --no-acl",
                                create.substr(0, create.size() - 1)));
    }
    run.roles_to_create = missing;
    const auto& owner = run.options.owner;
    if (!owner.empty() && existing.count(owner) && !may_hand_objects_to(t, owner))
        throw Error(
            ErrorKind::unsupported,
            fmt::format("--owner {}: this role ({}) may not hand objects to that role; nothing was changed",
                        quote_ident(owner), quote_ident(current_role(t))),
            fmt::format("GRANT {} TO {} (as a role with ADMIN OPTION on it), or run as that role",
                        quote_ident(owner), quote_ident(current_role(t))));
}

void create_missing_roles(PgRun& run) {
    auto& t = *run.target;
    const auto existing = target_roles(t);
    const auto me = current_role(t);
    for (const auto& r : run.roles_to_create) {
        if (existing.count(r)) continue;  // a resumed run created it already
        with_context("creating role " + quote_ident(r), [&] {
            t.exec(fmt::format("CREATE ROLE {} NOLOGIN", quote_ident(r)));
            run.result.summary.push_back(
                fmt::format("created role {} (NOLOGIN, no password)", quote_ident(r)));
        });
    }
    const auto& owner = run.options.owner;
    if (!owner.empty() && !may_hand_objects_to(t, owner))
        // A role this one just created (CREATEROLE: it holds ADMIN OPTION on it).
        with_context("granting --owner's role to this one",
                     [&] { t.exec(fmt::format("GRANT {} TO {}", quote_ident(owner), quote_ident(me))); });
}

void hand_objects_to_owner(PgRun& run, const std::string& schema) {
    const auto& owner = run.options.owner;
    if (owner.empty()) return;
    auto& t = *run.target;
    t.exec("SET LOCAL search_path = pg_catalog");
    auto statements = t.query(std::string(embedded_sql("engine/postgres/target/sql/owner_statements.sql")),
                              {schema, owner});
    for (int i = 0; i < statements.rows(); ++i)
        with_context("handing objects to --owner", [&] { t.exec(statements.get(i, 0)); });
    log::info("{} objects of schema {} handed to {}", statements.rows(), quote_ident(schema),
              quote_ident(owner));
}

void apply_default_privileges(PgRun& run, const std::string& schema) {
    auto& t = *run.target;
    const auto roles = target_roles(t);
    const auto sql = [](const DefaultPrivilege& d, const std::string& in) {
        return fmt::format("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} {}", quote_ident(d.role),
                           quote_ident(in), grant_sql(d.privilege, d.object_type, d.grantee, d.grantable));
    };
    for (const auto& d : run.catalog.default_privileges) {
        const auto why = default_privilege_blocker(t, roles, d);
        if (!why.empty()) {
            // Set on the load schema, which finalize renames: the user runs
            // it on the schema's final name.
            run.result.warnings.push_back(
                fmt::format("default privilege not copied ({}): {}; run it as that role", why,
                            sql(d, run.request.target_schema)));
            continue;
        }
        with_context("setting default privileges", [&] { t.exec(sql(d, schema)); });
    }
    if (!run.catalog.default_privileges.empty())
        log::info("{} default privilege(s) of schema {} read", run.catalog.default_privileges.size(),
                  quote_ident(run.request.target_schema));
}

std::string default_privilege_blocker(Connection& target, const std::set<std::string>& roles,
                                      const DefaultPrivilege& d) {
    // Only the role itself, a role with its privileges, or a superuser may
    // set what that role's future objects get.
    if (!roles.count(d.role)) return fmt::format("role {} does not exist on the target", quote_ident(d.role));
    if (target.query("SELECT pg_catalog.pg_has_role($1, 'USAGE')", {d.role}).get(0, 0) != "t")
        return fmt::format("this role does not have the privileges of role {}", quote_ident(d.role));
    if (d.grantee != "PUBLIC" && !roles.count(d.grantee))
        return fmt::format("role {} does not exist on the target", quote_ident(d.grantee));
    return "";
}

std::string describe_roles(const PgRun& run) {
    std::string out;
    if (run.options.no_acl) out += "grants: none copied (--no-acl)";
    if (!run.options.role_map.empty()) {
        out += out.empty() ? "" : "\n";
        out += "grants: roles mapped by --role-map";
        for (const auto& [from, to] : run.options.role_map)
            out += fmt::format(" {}->{}", quote_ident(from), quote_ident(to));
    }
    if (!run.roles_to_create.empty())
        out += fmt::format("{}roles created NOLOGIN: {}", out.empty() ? "" : "\n", list(run.roles_to_create));
    if (!run.options.owner.empty())
        out += fmt::format("{}objects handed to owner {} at the end", out.empty() ? "" : "\n",
                           quote_ident(run.options.owner));
    return out;
}

}  // namespace dbclone::pg
