// Owners, grants, roles and extensions as a managed-service user meets them
// (issue 9 item 5), every run as the managed-service role (LOGIN CREATEDB
// CREATEROLE, not SUPERUSER): a grant naming a role the target lacks stops
// the run before anything is touched; --create-missing-roles, --role-map,
// --no-acl and --owner; types of an extension written qualified with the
// source's extension schema (citext in `extensions`, as Supabase installs
// it, and in `public`), a missing extension stopping up front or created by
// --create-extensions. Compared without dbclone: the harness's catalog
// inventory (ACLs included), pg_dump --schema-only, catalog queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "embedded/pg_binaries.h"
#include "embedded/subprocess.h"
#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitNotFound = 5;
constexpr int kExitUnsupported = 13;

// A small schema with grants to `reader` on a table, a column, a sequence, a
// function and the schema itself.
std::string granted_schema_sql(const std::string& s, const std::string& reader) {
    return "CREATE SCHEMA " + s + "; CREATE TABLE " + s +
           ".item (id serial PRIMARY KEY, name text NOT NULL, secret text);"
           "INSERT INTO " +
           s + ".item (name, secret) SELECT 'item ' || g, 'x' || g FROM generate_series(1, 50) g;" +
           "CREATE VIEW " + s + ".item_names AS SELECT id, name FROM " + s + ".item;" + "CREATE FUNCTION " +
           s + ".item_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM " + s + ".item';" +
           "GRANT USAGE ON SCHEMA " + s + " TO " + reader + "; GRANT SELECT ON " + s + ".item_names TO " +
           reader + "; GRANT SELECT (id, name) ON " + s + ".item TO " + reader +
           "; GRANT USAGE ON SEQUENCE " + s + ".item_id_seq TO " + reader + "; REVOKE ALL ON FUNCTION " + s +
           ".item_count() FROM PUBLIC; GRANT EXECUTE ON FUNCTION " + s + ".item_count() TO " + reader + ";";
}

void create_role_on(EmbeddedCluster& c, const std::string& role) {
    c.run_sql("postgres", "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role +
                              "') THEN CREATE ROLE " + role + " NOLOGIN; END IF; END$$");
}

bool role_exists(EmbeddedCluster& c, const std::string& role) {
    return c.query_value("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'") == "1";
}

// Every schema in the database whose name is not a system one: a run that
// stopped up front leaves none (no target, no staging schema).
std::string user_schemas(EmbeddedCluster& c, const std::string& db) {
    return c.query_value(
        db,
        "SELECT coalesce(string_agg(nspname, ',' ORDER BY nspname), '') FROM pg_namespace "
        "WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')");
}

std::vector<std::string> replaced(std::vector<std::string> lines, const std::string& from,
                                  const std::string& to) {
    for (auto& l : lines)
        for (std::size_t at = 0; (at = l.find(from, at)) != std::string::npos; at += to.size())
            l.replace(at, from.size(), to);
    std::sort(lines.begin(), lines.end());
    return lines;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// pg_dump --schema-only of one schema, as the servers' superuser, without the
// lines that name the schema or change per run.
std::string dump_schema(EmbeddedCluster& c, const std::string& db, const std::string& schema) {
    auto r = run_subprocess({(find_pg_bindir() / "pg_dump").string(), "-d", c.conninfo(db), "-n",
                             pg::quote_ident(schema), "--schema-only"},
                            SubprocessOptions{.drop_env_prefixes = {"PG"}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    static const std::regex noise("(^|\n)(\\\\(un)?restrict [^\n]*|--[^\n]*)");
    auto text = std::regex_replace(r.out, noise, "$1");
    for (std::size_t at = 0; (at = text.find(schema + ".", at)) != std::string::npos;)
        text.replace(at, schema.size() + 1, "S.");
    return text;
}

TEST(OwnersGrants, GrantToARoleMissingOnTheTargetStopsBeforeAnythingIsTouched) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    create_role_on(h.source(), "og_only_on_source");
    h.run_sql_as_app(h.source(), kSourceDb, granted_schema_sql("og_missing", "og_only_on_source"));
    auto db = h.new_target_db("og_missing");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_missing"});
    EXPECT_EQ(r.exit_code, kExitNotFound) << describe(r);
    EXPECT_NE(r.err.find("og_only_on_source"), std::string::npos) << describe(r);
    for (const auto* flag : {"--create-missing-roles", "--role-map", "--no-acl"})
        EXPECT_NE(r.err.find(flag), std::string::npos) << "hint names " << flag << ": " << describe(r);
    EXPECT_EQ(user_schemas(h.target(), db), "") << "the target was touched";
    EXPECT_FALSE(role_exists(h.target(), "og_only_on_source"));
    // plan says the same, and changes nothing either.
    auto p =
        run_dbclone({"plan", "clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_missing"});
    EXPECT_EQ(p.exit_code, kExitNotFound) << describe(p);
}

TEST(OwnersGrants, CreateMissingRolesCreatesThemNologinAndCopiesEveryGrant) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    create_role_on(h.source(), "og_created");
    h.run_sql_as_app(h.source(), kSourceDb, granted_schema_sql("og_create", "og_created"));
    auto db = h.new_target_db("og_create");
    ASSERT_FALSE(role_exists(h.target(), "og_created"));
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_create",
                          "--create-missing-roles"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(h.target().query_value("postgres",
                                     "SELECT rolcanlogin::text || ' ' || (rolpassword IS NULL)::text "
                                     "FROM pg_authid WHERE rolname = 'og_created'"),
              "false true");
    expect_same_schema(h.source(), kSourceDb, "og_create", h.target(), db, "og_create");
    EXPECT_EQ(dump_schema(h.target(), db, "og_create"), dump_schema(h.source(), kSourceDb, "og_create"));
}

TEST(OwnersGrants, RoleMapGrantsToTheMappedRole) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    create_role_on(h.source(), "og_prod_reader");
    create_role_on(h.target(), "og_preprod_reader");
    h.run_sql_as_app(h.source(), kSourceDb, granted_schema_sql("og_map", "og_prod_reader"));
    auto db = h.new_target_db("og_map");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_map",
                          "--role-map", "og_prod_reader:og_preprod_reader"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(replaced(inventory(h.source(), kSourceDb, "og_map"), "og_prod_reader", "og_preprod_reader"),
              sorted(inventory(h.target(), db, "og_map")));
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT has_function_privilege('og_preprod_reader', "
                                     "'og_map.item_count()', 'EXECUTE')::text || ' ' || "
                                     "has_column_privilege('og_preprod_reader', 'og_map.item', 'secret', "
                                     "'SELECT')::text"),
              "true false");
    EXPECT_FALSE(role_exists(h.target(), "og_prod_reader"));
}

// verify takes --role-map with the clone's meaning: a copy made with it
// compares equal only when verify is told the same mapping (without it, the
// copy's grants to the mapped role are extra objects), and a mapping to
// another role is a difference.
TEST(OwnersGrants, VerifyComparesGrantsThroughTheRoleMap) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    create_role_on(h.source(), "og_vprod_reader");
    create_role_on(h.target(), "og_vpre_reader");
    create_role_on(h.target(), "og_vother_reader");
    h.run_sql_as_app(h.source(), kSourceDb, granted_schema_sql("og_vmap", "og_vprod_reader"));
    auto db = h.new_target_db("og_vmap");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_vmap",
                          "--role-map", "og_vprod_reader:og_vpre_reader"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const std::vector<std::string> verify{"verify", h.source_conninfo(), h.target_conninfo(db), "--schema",
                                          "og_vmap"};
    auto with = [&](std::vector<std::string> extra) {
        auto args = verify;
        args.insert(args.end(), extra.begin(), extra.end());
        return run_dbclone(args);
    };
    auto mapped = with({"--role-map", "og_vprod_reader:og_vpre_reader"});
    EXPECT_EQ(mapped.exit_code, 0) << describe(mapped);
    auto unmapped = with({});
    EXPECT_EQ(unmapped.exit_code, 11) << describe(unmapped);
    EXPECT_NE(unmapped.out.find("og_vpre_reader"), std::string::npos) << describe(unmapped);
    auto wrong = with({"--role-map", "og_vprod_reader:og_vother_reader"});
    EXPECT_EQ(wrong.exit_code, 11) << describe(wrong);
}

// The schema's default privileges (ALTER DEFAULT PRIVILEGES ... IN SCHEMA)
// as pg_default_acl holds them, one line per creating role and kind.
std::string default_privileges(EmbeddedCluster& c, const std::string& db, const std::string& s) {
    return c.query_value(
        db,
        "SELECT coalesce(string_agg(pg_get_userbyid(defaclrole) || ' ' || defaclobjtype::text || ' ' "
        "|| defaclacl::text, E'\\n' ORDER BY pg_get_userbyid(defaclrole), defaclobjtype), '') "
        "FROM pg_default_acl WHERE "
        "defaclnamespace = (SELECT oid FROM pg_namespace WHERE nspname = " +
            pg::quote_literal(s) + ")");
}

// Default privileges of the schema are copied where this role may set them
// (its own), through a clone and a dump set; those of a role whose
// privileges it lacks are named with the statement to run, never dropped
// without a word.
TEST(OwnersGrants, DefaultPrivilegesAreCopiedOrNamed) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    for (auto* c : {&h.source(), &h.target()}) {
        create_role_on(*c, "og_dp_reader");
        create_role_on(*c, "og_dp_other");
    }
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA og_dp; CREATE TABLE og_dp.item (id integer);"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA og_dp GRANT SELECT, INSERT ON TABLES TO og_dp_reader;"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA og_dp GRANT USAGE ON SEQUENCES TO og_dp_reader "
        "WITH GRANT OPTION;"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA og_dp GRANT EXECUTE ON FUNCTIONS TO PUBLIC;");
    // Another role's, set by a superuser on the source.
    h.source().run_sql(kSourceDb,
                       "ALTER DEFAULT PRIVILEGES FOR ROLE og_dp_other IN SCHEMA og_dp GRANT SELECT ON TABLES "
                       "TO og_dp_reader");
    const auto source_acl = default_privileges(h.source(), kSourceDb, "og_dp");
    ASSERT_NE(source_acl.find("og_dp_other"), std::string::npos) << source_acl;
    std::string own_acl;
    std::istringstream lines(source_acl);
    for (std::string line; std::getline(lines, line);)
        if (line.find("og_dp_other") == std::string::npos) own_acl += (own_acl.empty() ? "" : "\n") + line;
    auto db = h.new_target_db("og_dp");
    auto store = h.new_dir("og-dp");
    auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", "og_dp", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    for (const auto& [args, schema] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_dp"}, "og_dp"},
             {{"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema",
               "og_dp:og_dp_imp"},
              "og_dp_imp"}}) {
        auto r = run_dbclone(args);
        ASSERT_EQ(r.exit_code, 0) << describe(r);
        EXPECT_EQ(default_privileges(h.target(), db, schema), own_acl) << "in " << schema;
        EXPECT_NE((r.out + r.err)
                      .find("ALTER DEFAULT PRIVILEGES FOR ROLE \"og_dp_other\" IN SCHEMA \"" + schema +
                            "\" GRANT SELECT ON TABLES TO \"og_dp_reader\""),
                  std::string::npos)
            << "the one this role may not set is named: " << describe(r);
        // verify sees the one that was not copied.
        auto v = run_dbclone(
            {"verify", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_dp:" + schema});
        EXPECT_EQ(v.exit_code, 11) << describe(v);
        EXPECT_NE(v.out.find("FOR ROLE \"og_dp_other\" GRANT SELECT ON TABLES TO \"og_dp_reader\""),
                  std::string::npos)
            << describe(v);
        // What they are for: a table this role creates there later is readable by the reader.
        h.run_sql_as_app(h.target(), db, "CREATE TABLE " + schema + ".later (id integer)");
        EXPECT_EQ(h.target().query_value(
                      db, "SELECT has_table_privilege('og_dp_reader', '" + schema + ".later', 'SELECT')"),
                  "t");
    }
}

// The checks of category `category` in a run's --json report, "status name" each, sorted.
std::vector<std::string> report_checks(const DbcloneResult& r, const std::string& category) {
    std::vector<std::string> out;
    if (!nlohmann::json::accept(r.out)) return out;
    const auto json = nlohmann::json::parse(r.out);
    for (const auto& c : json["report"]["checks"])
        if (c["category"] == category)
            out.push_back(c["status"].get<std::string>() + " " + c["name"].get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
}

// The load's own verify compares the default privileges it set (with the
// role map), not only a separate `dbclone verify`: a clone that lost one is
// not marked complete. It is lost here the way nothing in dbclone could
// notice otherwise: removed from the staging schema while the run was
// stopped (killed before its verify), then the run resumed.
TEST(OwnersGrants, TheLoadsOwnVerifyComparesDefaultPrivileges) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    create_role_on(h.source(), "og_dpv_reader");
    create_role_on(h.target(), "og_dpv_mapped");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        "CREATE SCHEMA og_dpv; CREATE TABLE og_dpv.item (id integer);"
        "INSERT INTO og_dpv.item SELECT generate_series(1, 10);"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA og_dpv GRANT SELECT ON TABLES TO og_dpv_reader;"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA og_dpv GRANT EXECUTE ON FUNCTIONS TO og_dpv_reader;");
    const auto clone_args = [&](const std::string& db) {
        return std::vector<std::string>{
            "clone",  h.source_conninfo(), h.target_conninfo(db),         "--schema",
            "og_dpv", "--role-map",        "og_dpv_reader:og_dpv_mapped", "--json"};
    };
    auto db = h.new_target_db("og_dpv");
    auto ok = run_dbclone(clone_args(db));
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    const std::string role = std::string("\"") + kAppRole + "\"";
    EXPECT_EQ(report_checks(ok, "default privileges"),
              (std::vector<std::string>{
                  "pass FOR ROLE " + role + " GRANT EXECUTE ON FUNCTIONS TO \"og_dpv_mapped\"",
                  "pass FOR ROLE " + role + " GRANT SELECT ON TABLES TO \"og_dpv_mapped\""}))
        << describe(ok);

    auto lost_db = h.new_target_db("og_dpv_lost");
    auto killed = run_dbclone(clone_args(lost_db), {{"DBCLONE_FAULT", "verify:before"}});
    ASSERT_EQ(killed.exit_code, 128 + 9) << describe(killed);
    const auto staging = h.target().query_value(
        lost_db, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dbclone\\_incomplete\\_%'");
    ASSERT_FALSE(staging.empty());
    h.target().run_sql(lost_db, std::string("ALTER DEFAULT PRIVILEGES FOR ROLE ") + kAppRole + " IN SCHEMA " +
                                    staging + " REVOKE SELECT ON TABLES FROM og_dpv_mapped");
    auto args = clone_args(lost_db);
    args.insert(args.begin(), "--resume");
    auto resumed = run_dbclone(args);
    EXPECT_EQ(resumed.exit_code, 11) << describe(resumed);
    EXPECT_EQ(report_checks(resumed, "default privileges"),
              (std::vector<std::string>{
                  "fail FOR ROLE " + role + " GRANT SELECT ON TABLES TO \"og_dpv_mapped\"",
                  "pass FOR ROLE " + role + " GRANT EXECUTE ON FUNCTIONS TO \"og_dpv_mapped\""}))
        << describe(resumed);
    expect_no_complete_schema(h.target(), lost_db, "og_dpv");
}

TEST(OwnersGrants, NoAclCopiesNoGrants) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    create_role_on(h.source(), "og_not_copied");
    h.run_sql_as_app(h.source(), kSourceDb, granted_schema_sql("og_noacl", "og_not_copied"));
    auto db = h.new_target_db("og_noacl");
    auto r = run_dbclone(
        {"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_noacl", "--no-acl"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const auto dump = dump_schema(h.target(), db, "og_noacl");
    EXPECT_EQ(dump.find("GRANT"), std::string::npos) << dump;
    EXPECT_EQ(dump.find("REVOKE"), std::string::npos) << dump;
    EXPECT_NE(dump_schema(h.source(), kSourceDb, "og_noacl").find("GRANT"), std::string::npos);
    EXPECT_EQ(table_checksums(h.target(), db, "og_noacl"),
              table_checksums(h.source(), kSourceDb, "og_noacl"));
    EXPECT_FALSE(role_exists(h.target(), "og_not_copied"));
}

// Every object of the schema, with its owner.
std::string owners(EmbeddedCluster& c, const std::string& db, const std::string& s) {
    return c.query_value(
        db,
        "SELECT string_agg(DISTINCT o, ',' ORDER BY o) FROM ("
        "SELECT pg_get_userbyid(nspowner)::text AS o FROM pg_namespace WHERE nspname = '" +
            s + "' UNION ALL SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE relnamespace = '" +
            s +
            "'::regnamespace UNION ALL SELECT pg_get_userbyid(proowner)::text FROM pg_proc WHERE "
            "pronamespace = '" +
            s +
            "'::regnamespace UNION ALL SELECT pg_get_userbyid(typowner)::text FROM pg_type WHERE "
            "typnamespace = '" +
            s + "'::regnamespace) x");
}

TEST(OwnersGrants, OwnerHandsEveryObjectToThatRole) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    create_role_on(h.source(), "og_owner_reader");
    h.run_sql_as_app(
        h.source(), kSourceDb,
        granted_schema_sql("og_owned", "og_owner_reader") +
            "CREATE TYPE og_owned.mood AS ENUM ('ok', 'meh'); CREATE DOMAIN og_owned.pos AS integer "
            "CHECK (VALUE > 0); CREATE TABLE og_owned.t2 (id integer GENERATED ALWAYS AS IDENTITY, m "
            "og_owned.mood, p og_owned.pos); INSERT INTO og_owned.t2 (m, p) VALUES ('ok', 1);");
    auto db = h.new_target_db("og_owned");
    ASSERT_FALSE(role_exists(h.target(), "og_app_owner"));
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_owned",
                          "--owner", "og_app_owner", "--create-missing-roles"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(owners(h.target(), db, "og_owned"), "og_app_owner");
    EXPECT_EQ(owners(h.source(), kSourceDb, "og_owned"), kAppRole);
    EXPECT_EQ(replaced(inventory(h.source(), kSourceDb, "og_owned"), kAppRole, "og_app_owner"),
              replaced(inventory(h.target(), db, "og_owned"), kAppRole, "og_app_owner"));
    EXPECT_EQ(table_checksums(h.target(), db, "og_owned"),
              table_checksums(h.source(), kSourceDb, "og_owned"));
}

TEST(OwnersGrants, OwnerThisRoleMayNotHandObjectsToStopsUpFront) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    h.run_sql_as_app(h.source(), kSourceDb,
                     "CREATE SCHEMA og_foreign_owner; CREATE TABLE og_foreign_owner.t (id int)");
    // Made by the superuser: the managed role is no member of it.
    create_role_on(h.target(), "og_not_mine");
    auto db = h.new_target_db("og_foreign_owner");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "og_foreign_owner",
                          "--owner", "og_not_mine"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("GRANT \"og_not_mine\" TO"), std::string::npos) << describe(r);
    EXPECT_EQ(user_schemas(h.target(), db), "");
}

// citext where Supabase puts it (schema `extensions`) and where most
// installations do (`public`): columns, an array column, a default and a
// check naming citext's function.
std::string citext_schema_sql(const std::string& s, const std::string& ext_schema) {
    return "CREATE TABLE " + s + ".contact (id integer PRIMARY KEY, email " + ext_schema +
           ".citext NOT NULL UNIQUE, aliases " + ext_schema + ".citext[] DEFAULT '{}', CHECK (" + ext_schema +
           ".strpos(email, '@'::" + ext_schema +
           ".citext) > 0));"
           "INSERT INTO " +
           s + ".contact VALUES (1, 'A@Example.com', '{a@x.org}'), (2, 'b@example.COM', '{}');";
}

TEST(OwnersGrants, ExtensionTypesAreQualifiedAndAMissingExtensionStopsUpFront) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    // A database of its own as the source: citext must live in schema
    // "extensions" there (the shared source database may have it elsewhere,
    // from another test, and an extension exists once per database).
    auto src_db = h.new_target_db("og_citext_src");
    h.target().run_sql(src_db, "CREATE SCHEMA extensions; GRANT USAGE ON SCHEMA extensions TO " +
                                   std::string(kAppRole) + "; CREATE EXTENSION citext SCHEMA extensions");
    h.run_sql_as_app(h.target(), src_db,
                     "CREATE SCHEMA og_citext; " + citext_schema_sql("og_citext", "extensions"));
    const auto source = h.target_conninfo(src_db);

    auto db = h.new_target_db("og_citext");
    auto r = run_dbclone({"clone", source, h.target_conninfo(db), "--schema", "og_citext"});
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("citext"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("--create-extensions"), std::string::npos) << describe(r);
    EXPECT_EQ(user_schemas(h.target(), db), "") << "the target was touched";

    auto ok =
        run_dbclone({"clone", source, h.target_conninfo(db), "--schema", "og_citext", "--create-extensions"});
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    EXPECT_EQ(
        h.target().query_value(db,
                               "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = "
                               "'citext'"),
        "extensions");
    expect_same_schema(h.target(), src_db, "og_citext", h.target(), db, "og_citext");
    EXPECT_EQ(dump_schema(h.target(), db, "og_citext"), dump_schema(h.target(), src_db, "og_citext"));
    // citext compares case-insensitively on the copy too.
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT id FROM og_citext.contact WHERE email OPERATOR(extensions.=) "
                                     "'a@EXAMPLE.COM'::extensions.citext"),
              "1");
}

TEST(OwnersGrants, CitextInPublicClonesIntoATargetThatHasIt) {
    auto& h = Harness::get();
    ASSERT_EQ(h.fixture_error("servers"), "");
    auto src_db = h.new_target_db("og_citext_public_src");
    // A second database on the target server as the source: citext in its public schema.
    h.target().run_sql(src_db, "CREATE EXTENSION citext SCHEMA public");
    h.run_sql_as_app(h.target(), src_db, "CREATE SCHEMA og_pub; " + citext_schema_sql("og_pub", "public"));
    auto db = h.new_target_db("og_citext_public");
    h.target().run_sql(db, "CREATE EXTENSION citext SCHEMA public");
    auto r = run_dbclone(
        {"clone", h.target_conninfo(src_db), h.target_conninfo(db), "--schema", "og_pub:og_pub_copy"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    expect_same_schema(h.target(), src_db, "og_pub", h.target(), db, "og_pub_copy");
    EXPECT_EQ(
        h.target().query_value(db,
                               "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                               "'og_pub_copy.contact'::regclass AND attname = 'email'"),
        "citext");
}

}  // namespace
}  // namespace dbclone::test
