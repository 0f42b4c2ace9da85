#include "harness.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "embedded/demo_schema.h"
#include "embedded/subprocess.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::test {

namespace {

constexpr std::chrono::minutes kDbcloneTimeout{15};
constexpr size_t kMaxShownOutput = 4000;

Harness* g_harness = nullptr;

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

std::string clip(const std::string& s) {
    if (s.size() <= kMaxShownOutput) return s;
    return s.substr(0, kMaxShownOutput) + "...(" + std::to_string(s.size()) + " bytes)";
}

// The shared test data beside the checkout (CMake: DBCLONE_SHARED_DIR); the
// environment variable of the same name overrides it, e.g. to try the suite
// as a clone of the repository alone would run it.
std::filesystem::path shared_dir() {
    if (const char* env = std::getenv("DBCLONE_SHARED_DIR"); env != nullptr && *env != '\0') return env;
    return DBCLONE_SHARED_DIR;
}
std::filesystem::path fixtures_dir() {
    return std::filesystem::path(DBCLONE_SOURCE_DIR) / "tests" / "integration" / "fixtures";
}

// A small schema for --table-exists-action: one table without a key, so that
// APPEND can double its rows.
constexpr const char* kTeaSql = R"sql(
CREATE SCHEMA tea;
CREATE TABLE tea.plain (id integer, v text);
INSERT INTO tea.plain SELECT g, 'row ' || g FROM generate_series(1, 100) g;
CREATE TABLE tea.keyed (id integer PRIMARY KEY, v text NOT NULL);
INSERT INTO tea.keyed SELECT g, 'k' || g FROM generate_series(1, 50) g;
)sql";

// Rendered with search_path = the schema, and with any remaining "schema."
// prefix removed, so that the same object under another schema name prints
// the same line.
constexpr const char* kInventorySql = R"sql(
WITH ns AS (SELECT oid, nspname, nspacl FROM pg_namespace WHERE nspname = :'s'),
q AS (SELECT quote_ident(:'s') || '.' AS prefix)
SELECT line FROM (
  SELECT 'schema|comment=' || coalesce(obj_description(ns.oid, 'pg_namespace'), '')
         || '|acl=' || coalesce(ns.nspacl::text, '') AS line FROM ns
  UNION ALL
  SELECT 'rel|' || c.relkind::text || '|' || c.relname || '|persistence=' || c.relpersistence::text
         || '|partkey=' || coalesce(pg_get_partkeydef(c.oid), '')
         || '|bound=' || coalesce(pg_get_expr(c.relpartbound, c.oid), '')
         || '|parent=' || coalesce((SELECT string_agg(p.relname, ',' ORDER BY i.inhseqno)
                                      FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                                     WHERE i.inhrelid = c.oid), '')
         || '|populated=' || c.relispopulated
         || '|acl=' || coalesce(c.relacl::text, '')
         || '|comment=' || coalesce(obj_description(c.oid, 'pg_class'), '')
  FROM pg_class c, ns WHERE c.relnamespace = ns.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  UNION ALL
  SELECT 'col|' || c.relname || '|' || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)
         || '|' || a.attname || '|' || format_type(a.atttypid, a.atttypmod)
         || '|notnull=' || a.attnotnull
         || '|default=' || replace(coalesce(pg_get_expr(d.adbin, d.adrelid), ''), q.prefix, '')
         || '|identity=' || a.attidentity::text || '|generated=' || a.attgenerated::text
         || '|collation=' || coalesce((SELECT collname FROM pg_collation WHERE oid = a.attcollation), '')
         || '|acl=' || coalesce(a.attacl::text, '')
         || '|comment=' || coalesce(col_description(c.oid, a.attnum), '')
  FROM ns, q, pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE c.relnamespace = ns.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
  UNION ALL
  SELECT 'con|' || coalesce(cl.relname, ty.typname, '') || '|' || co.conname || '|' || co.contype::text
         || '|' || replace(pg_get_constraintdef(co.oid), q.prefix, '')
         || '|deferrable=' || co.condeferrable || '|deferred=' || co.condeferred
         || '|validated=' || co.convalidated
         || '|comment=' || coalesce(obj_description(co.oid, 'pg_constraint'), '')
  FROM ns, q, pg_constraint co
  LEFT JOIN pg_class cl ON cl.oid = co.conrelid
  LEFT JOIN pg_type ty ON ty.oid = co.contypid
  WHERE co.connamespace = ns.oid
    -- 18 keeps NOT NULL as constraints too; the col and type lines say notnull
    AND co.contype <> 'n'
  UNION ALL
  SELECT 'idx|' || t.relname || '|' || ic.relname || '|' || replace(pg_get_indexdef(ic.oid), q.prefix, '')
         || '|primary=' || x.indisprimary || '|unique=' || x.indisunique
         || '|comment=' || coalesce(obj_description(ic.oid, 'pg_class'), '')
  FROM ns, q, pg_index x
  JOIN pg_class ic ON ic.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  WHERE ic.relnamespace = ns.oid
  UNION ALL
  SELECT 'trg|' || c.relname || '|' || tg.tgname || '|enabled=' || tg.tgenabled::text
         || '|' || replace(pg_get_triggerdef(tg.oid), q.prefix, '')
         || '|comment=' || coalesce(obj_description(tg.oid, 'pg_trigger'), '')
  FROM ns, q, pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
  WHERE c.relnamespace = ns.oid AND NOT tg.tgisinternal
  UNION ALL
  SELECT 'fn|' || p.prokind::text || '|' || p.proname || '('
         -- 14+ prints a procedure's IN mode, 13 does not: the same procedure
         || regexp_replace(pg_get_function_identity_arguments(p.oid), '(^|, )IN ', '\1', 'g') || ')'
         || '|returns=' || coalesce(pg_get_function_result(p.oid), '')
         || '|lang=' || l.lanname || '|volatility=' || p.provolatile::text || '|strict=' || p.proisstrict
         -- a body names its own schema as the copy's (dbclone rewrites it)
         || '|secdef=' || p.prosecdef || '|body_md5=' || md5(replace(coalesce(p.prosrc, ''), q.prefix, ''))
         || '|acl=' || coalesce(p.proacl::text, '')
         || '|comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '')
  FROM ns, q, pg_proc p JOIN pg_language l ON l.oid = p.prolang
  WHERE p.pronamespace = ns.oid
    -- made by the server with their owner object (14+: a range type's
    -- multirange constructors), not by the schema's author
    AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid
                    AND x.deptype = 'i')
  UNION ALL
  SELECT 'agg|' || p.proname || '|sfunc=' || replace(ag.aggtransfn::regproc::text, q.prefix, '')
         || '|stype=' || format_type(ag.aggtranstype, NULL)
         || '|init=' || coalesce(ag.agginitval, '<null>')
         || '|final=' || replace(ag.aggfinalfn::regproc::text, q.prefix, '')
  FROM ns, q, pg_aggregate ag JOIN pg_proc p ON p.oid = ag.aggfnoid
  WHERE p.pronamespace = ns.oid
  UNION ALL
  SELECT 'type|' || t.typtype::text || '|' || t.typname || '|'
         || CASE t.typtype
              WHEN 'e' THEN (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid)
              WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) || ' notnull=' || t.typnotnull
                            || ' default=' || coalesce(t.typdefault, '')
              WHEN 'r' THEN (SELECT format_type(rngsubtype, NULL) FROM pg_range WHERE rngtypid = t.oid)
              ELSE '' END
         || '|acl=' || coalesce(t.typacl::text, '')
         || '|comment=' || coalesce(obj_description(t.oid, 'pg_type'), '')
  FROM ns, pg_type t
  WHERE t.typnamespace = ns.oid
    AND t.typtype <> 'm'  -- 14+ makes a multirange type with every range type
    AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
    AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typarray = t.oid)
  UNION ALL
  SELECT 'seq|' || s.sequencename || '|' || s.data_type::text || '|start=' || s.start_value
         || '|min=' || s.min_value || '|max=' || s.max_value || '|inc=' || s.increment_by
         || '|cycle=' || s.cycle || '|cache=' || s.cache_size
         || '|last=' || coalesce(s.last_value::text, '<null>')
  FROM pg_sequences s WHERE s.schemaname = :'s'
  UNION ALL
  SELECT 'owned|' || sc.relname || '|' || t.relname || '.' || a.attname || '|' || d.deptype::text
  FROM ns, pg_depend d
  JOIN pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'
  JOIN pg_class t ON t.oid = d.refobjid
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    AND d.deptype IN ('a', 'i') AND sc.relnamespace = ns.oid
  UNION ALL
  SELECT 'viewdef|' || c.relname || '|'
         -- 16+ leaves out the table names before column names that older
         -- releases print ("account.code"): compared without them
         || regexp_replace(regexp_replace(replace(pg_get_viewdef(c.oid), q.prefix, ''), '\s+', ' ', 'g'),
                           '(\m[a-z_][a-z0-9_$]*|"[^"]+")\.(?=[a-z_"])', '', 'g')
  FROM ns, q, pg_class c WHERE c.relnamespace = ns.oid AND c.relkind IN ('v', 'm')
) lines ORDER BY line;
)sql";

std::string with_schema_var(const std::string& schema, const std::string& sql) {
    // psql variables keep the schema name out of the SQL text: :'s' quotes it.
    std::string escaped;
    for (char c : schema) escaped += c == '\\' ? std::string("\\\\") : std::string(1, c);
    return "\\set s " + pg::quote_literal(escaped) + "\nSET search_path = " + pg::quote_ident(schema) +
           ", pg_catalog;\n" + sql;
}

std::vector<std::string> relation_names(EmbeddedCluster& cluster, const std::string& db,
                                        const std::string& schema, const std::string& relkinds) {
    std::string sql =
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = " +
        pg::quote_literal(schema) + " AND c.relkind = ANY (string_to_array(" + pg::quote_literal(relkinds) +
        ", ',')::\"char\"[]) AND c.relispopulated ORDER BY 1";
    return split_lines(cluster.query_value(db, sql));
}

void report_difference(const std::string& what, const std::vector<std::string>& a,
                       const std::vector<std::string>& b, const std::string& a_name,
                       const std::string& b_name) {
    std::set<std::string> sa(a.begin(), a.end());
    std::set<std::string> sb(b.begin(), b.end());
    std::string only_a;
    std::string only_b;
    for (const auto& l : sa)
        if (sb.count(l) == 0) only_a += "\n  - " + l;
    for (const auto& l : sb)
        if (sa.count(l) == 0) only_b += "\n  + " + l;
    if (only_a.empty() && only_b.empty() && a == b) return;
    ADD_FAILURE() << what << " differs between " << a_name << " and " << b_name << ":" << clip(only_a)
                  << clip(only_b)
                  << (only_a.empty() && only_b.empty() ? "\n  (same lines, different multiplicity)" : "");
}

}  // namespace

Harness& Harness::get() {
    if (g_harness == nullptr) g_harness = new Harness;  // gtest owns it once registered
    return *g_harness;
}

void Harness::SetUp() {
    const char* base = std::getenv("DBCLONE_TEST_TMPDIR");
    std::string tmpl = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/dbclone-it-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("cannot create " + tmpl);
    work_dir_ = tmpl;
    // The servers run as user postgres when we are root: they must reach their directories.
    chmod(work_dir_.c_str(), S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH | S_IXOTH);
    std::cerr << "[harness] work directory " << work_dir_ << " (kept when a test fails)\n";
}

void Harness::TearDown() {
    bool failed = !::testing::UnitTest::GetInstance()->Passed();
    for (auto* cluster : {source_.get(), target_.get()})
        if (cluster != nullptr) cluster->set_keep_on_stop(failed);
    source_.reset();
    target_.reset();
    if (failed) {
        std::cerr << "[harness] a test failed: keeping " << work_dir_ << " (server logs, dump sets)\n";
    } else {
        std::error_code ec;
        std::filesystem::remove_all(work_dir_, ec);
    }
}

void Harness::ensure_servers() {
    if (servers_tried_) return;
    servers_tried_ = true;
    try {
        auto t0 = std::chrono::steady_clock::now();
        source_ = EmbeddedCluster::start({.dir = work_dir_ / "source", .name = "src"});
        target_ = EmbeddedCluster::start({.dir = work_dir_ / "target", .name = "tgt"});
        for (auto* cluster : {source_.get(), target_.get()}) create_app_role(*cluster);
        // The role owns the source database, as on a managed service.
        create_app_database(*source_, kSourceDb);
        // Grants are carried to roles that exist on the target (issue 2): the
        // demo's role exists on both servers.
        target_->run_sql("postgres", "CREATE ROLE shop_reader NOLOGIN");
        auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
        std::cerr << "[harness] source " << source_->conninfo(kSourceDb) << "\n[harness] target "
                  << target_->conninfo() << " (" << ms.count() << " ms)\n";
    } catch (const Error& e) {
        fixture_errors_["servers"] =
            "cannot start the test servers: " + e.one_line() + (e.hint().empty() ? "" : " HINT: " + e.hint());
    }
}

void Harness::load_fixture(const std::string& name) {
    if (fixture_errors_.count(name) != 0) return;
    ensure_servers();
    if (!fixture_errors_["servers"].empty()) {
        fixture_errors_[name] = fixture_errors_["servers"];
        return;
    }
    auto t0 = std::chrono::steady_clock::now();
    try {
        if (name == "servers") {
            fixture_errors_[name] = "";
        } else {
            load_fixture_sql(*source_, kSourceDb, name);
        }
        fixture_errors_[name] = "";
    } catch (const Error& e) {
        fixture_errors_[name] = "fixture " + name + " not loaded: " + e.one_line() +
                                (e.hint().empty() ? "" : " HINT: " + e.hint());
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    std::cerr << "[harness] fixture " << name << ": "
              << (fixture_errors_[name].empty() ? "loaded" : fixture_errors_[name]) << " (" << ms.count()
              << " ms)\n";
}

void Harness::load_fixture_sql(EmbeddedCluster& cluster, const std::string& db, const std::string& name) {
    if (name == "pagila") {
        auto dir = shared_dir() / "testdata" / "pagila";
        if (!std::filesystem::exists(dir / "pagila-schema.sql"))
            throw Error(ErrorKind::not_found, "pagila test data missing: " + dir.string(),
                        "the shared test data lives in ../shared/testdata/pagila beside the checkout");
        // pagila's dump names postgres as the owner of everything; here the
        // application role owns it, as a managed service's user would.
        std::string schema_sql = read_file(dir / "pagila-schema.sql");
        const std::string owner = " OWNER TO postgres;";
        for (size_t at = 0; (at = schema_sql.find(owner, at)) != std::string::npos;)
            schema_sql.replace(at, owner.size(), std::string(" OWNER TO ") + kAppRole + ";");
        cluster.run_sql(db, schema_sql);
        cluster.run_sql_file(db, dir / "pagila-data.sql");
    } else if (name == "demo") {
        run_sql_as_app(cluster, db, read_file(find_demo_sql()));
    } else if (name == "types" || name == "hostile" || name == "hard") {
        run_sql_as_app(cluster, db, read_file(fixtures_dir() / (name + ".sql")));
    } else if (name == "tea") {
        run_sql_as_app(cluster, db, kTeaSql);
    } else {
        throw Error(ErrorKind::internal, "unknown fixture " + name);
    }
}

std::string Harness::fixture_skip(const std::string& fixture) {
    if (fixture == "pagila") {
        auto dir = shared_dir() / "testdata" / "pagila";
        for (const char* f : {"pagila-schema.sql", "pagila-data.sql"})
            if (!std::filesystem::exists(dir / f))
                return "pagila test data not found at " + (dir / f).string() +
                       " (shared test data beside the checkout, ../shared/testdata/pagila): skipped";
    }
    return {};
}

void Harness::run_sql_as_app(EmbeddedCluster& cluster, const std::string& db, const std::string& sql) {
    cluster.run_sql(db, std::string("SET ROLE ") + kAppRole + ";\n" + sql);
}

std::string Harness::as_app_role(const std::string& superuser_conninfo) {
    // EmbeddedCluster::conninfo names the superuser as "user=<name>".
    std::string out = superuser_conninfo;
    auto at = out.find("user=");
    if (at == std::string::npos) return out + " user=" + kAppRole;
    auto end = out.find(' ', at);
    return out.replace(at, (end == std::string::npos ? out.size() : end) - at,
                       std::string("user=") + kAppRole);
}

void Harness::create_app_role(EmbeddedCluster& cluster) {
    cluster.run_sql("postgres",
                    std::string("DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '") +
                        kAppRole + "') THEN CREATE ROLE " + kAppRole +
                        " LOGIN CREATEDB CREATEROLE NOSUPERUSER NOREPLICATION; END IF; END$$");
}

void Harness::create_app_database(EmbeddedCluster& cluster, const std::string& db) {
    cluster.run_sql("postgres", "CREATE DATABASE " + pg::quote_ident(db) + " OWNER " + kAppRole);
}

std::string Harness::fixture_error(const std::string& fixture) {
    load_fixture(fixture);
    return fixture_errors_[fixture];
}

EmbeddedCluster& Harness::source() {
    ensure_servers();
    if (!source_) throw std::runtime_error(fixture_errors_["servers"]);
    return *source_;
}

EmbeddedCluster& Harness::target() {
    ensure_servers();
    if (!target_) throw std::runtime_error(fixture_errors_["servers"]);
    return *target_;
}

std::string Harness::new_target_db(const std::string& hint) {
    std::string name = "t" + std::to_string(++counter_) + "_";
    for (char c : hint)
        name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? static_cast<char>(std::tolower(c)) : '_';
    create_app_database(target(), name);
    return name;
}

std::filesystem::path Harness::new_dir(const std::string& hint) {
    auto dir = work_dir_ / (std::to_string(++counter_) + "-" + hint);
    std::filesystem::create_directories(dir);
    return dir;
}

DbcloneResult run_dbclone(const std::vector<std::string>& args, const EnvChanges& env,
                          std::chrono::milliseconds interrupt_after) {
    std::vector<std::string> argv{DBCLONE_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    SubprocessOptions opts{.drop_env_prefixes = {"PG"}, .timeout = kDbcloneTimeout};
    opts.interrupt_after = interrupt_after;
    opts.env["XDG_STATE_HOME"] = (Harness::get().work_dir() / "state").string();
    for (const auto& [k, v] : env) opts.env[k] = v;
    DbcloneResult r;
    for (const auto& a : argv) r.command += (r.command.empty() ? "" : " ") + a;
    auto result = run_subprocess(argv, opts);
    r.exit_code = result.timed_out ? -1 : result.exit_code;
    r.peak_rss_kib = result.peak_rss_kib;
    r.out = std::move(result.out);
    r.err = std::move(result.err);
    if (result.timed_out) r.err += "\n[harness] dbclone timed out and was killed";
    return r;
}

std::string describe(const DbcloneResult& r) {
    return "\n$ " + r.command + "\nexit " + std::to_string(r.exit_code) + "\nstdout: " + clip(r.out) +
           "\nstderr: " + clip(r.err);
}

std::string target_objects(const std::string& db) {
    return Harness::get().target().query_value(
        db,
        "SELECT coalesce(string_agg(n.nspname || '.' || coalesce(c.relname, '-'), ',' ORDER BY 1), '') "
        "FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid "
        "WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'");
}

std::vector<std::string> inventory(EmbeddedCluster& cluster, const std::string& db,
                                   const std::string& schema) {
    return split_lines(cluster.query_value(db, with_schema_var(schema, kInventorySql)));
}

std::map<std::string, std::string> table_checksums(EmbeddedCluster& cluster, const std::string& db,
                                                   const std::string& schema) {
    std::map<std::string, std::string> out;
    auto tables = relation_names(cluster, db, schema, "r,p,m");
    if (tables.empty()) return out;
    std::string sql;
    for (const auto& t : tables) {
        if (!sql.empty()) sql += "\nUNION ALL\n";
        sql += "SELECT " + pg::quote_literal(t) +
               " || '|' || count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), "
               "'-') FROM " +
               pg::qualify(schema, t) + " t";
    }
    for (const auto& line : split_lines(cluster.query_value(db, sql))) {
        auto bar = line.rfind('|');
        out[line.substr(0, bar)] = line.substr(bar + 1);
    }
    return out;
}

std::map<std::string, std::string> sequence_values(EmbeddedCluster& cluster, const std::string& db,
                                                   const std::string& schema) {
    std::map<std::string, std::string> out;
    auto seqs = relation_names(cluster, db, schema, "S");
    if (seqs.empty()) return out;
    std::string sql;
    for (const auto& s : seqs) {
        if (!sql.empty()) sql += "\nUNION ALL\n";
        sql += "SELECT " + pg::quote_literal(s) + " || '|' || last_value || ' ' || is_called FROM " +
               pg::qualify(schema, s);
    }
    for (const auto& line : split_lines(cluster.query_value(db, sql))) {
        auto bar = line.rfind('|');
        out[line.substr(0, bar)] = line.substr(bar + 1);
    }
    return out;
}

bool schema_exists(EmbeddedCluster& cluster, const std::string& db, const std::string& schema) {
    return cluster.query_value(
               db, "SELECT count(*) FROM pg_namespace WHERE nspname = " + pg::quote_literal(schema)) == "1";
}

void expect_no_complete_schema(EmbeddedCluster& cluster, const std::string& db, const std::string& schema) {
    if (!schema_exists(cluster, db, schema)) return;
    auto comment = cluster.query_value(
        db, "SELECT coalesce(obj_description(oid, 'pg_namespace'), '') FROM pg_namespace WHERE nspname = " +
                pg::quote_literal(schema));
    EXPECT_NE(comment.find("incomplete"), std::string::npos)
        << "schema " << schema
        << " exists after a failed run and is not marked incomplete (comment: " << comment << ")";
}

void expect_same_schema(EmbeddedCluster& src_cluster, const std::string& src_db, const std::string& src,
                        EmbeddedCluster& dst_cluster, const std::string& dst_db, const std::string& dst) {
    std::string a = src_db + "/" + src;
    std::string b = dst_db + "/" + dst;
    if (!schema_exists(dst_cluster, dst_db, dst)) {
        ADD_FAILURE() << "schema " << b << " does not exist";
        return;
    }
    auto inv_a = inventory(src_cluster, src_db, src);
    auto inv_b = inventory(dst_cluster, dst_db, dst);
    EXPECT_GT(inv_a.size(), 1U) << "empty source inventory for " << a;
    report_difference("object inventory", inv_a, inv_b, a, b);

    auto sums_a = table_checksums(src_cluster, src_db, src);
    auto sums_b = table_checksums(dst_cluster, dst_db, dst);
    EXPECT_FALSE(sums_a.empty()) << "no tables in " << a;
    std::vector<std::string> la;
    std::vector<std::string> lb;
    for (const auto& [t, s] : sums_a) la.push_back(t + " " + s);
    for (const auto& [t, s] : sums_b) lb.push_back(t + " " + s);
    report_difference("table contents (rows md5)", la, lb, a, b);

    auto seq_a = sequence_values(src_cluster, src_db, src);
    auto seq_b = sequence_values(dst_cluster, dst_db, dst);
    EXPECT_EQ(seq_a, seq_b) << "sequence values differ between " << a << " and " << b;
}

std::vector<std::filesystem::path> find_files(const std::filesystem::path& dir,
                                              const std::string& name_part) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && it->path().filename().string().find(name_part) != std::string::npos)
            out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream f(file, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

namespace {

// The pid the run lock file in `work` names ("pid 1234 on host ..."), 0 while there is none.
int lock_holder_pid(const std::filesystem::path& work) {
    for (const auto& f : find_files(work, ".journal.lock")) {
        auto text = read_file(f);
        if (text.rfind("pid ", 0) == 0) return std::atoi(text.c_str() + 4);
    }
    return 0;
}

bool is_stopped(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close = content.rfind(')');
    return close != std::string::npos && close + 2 < content.size() && content[close + 2] == 'T';
}

}  // namespace

HaltedRun::HaltedRun(const std::vector<std::string>& args, const std::filesystem::path& work,
                     const std::string& point)
    : runner_([this, args, point] {
          result_ = run_dbclone(args, {{"DBCLONE_FAULT", point}, {"DBCLONE_FAULT_ACTION", "stop"}});
      }) {
    int pid = 0;
    for (int i = 0; i < 600 && !(pid != 0 && is_stopped(pid)); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        pid = lock_holder_pid(work);
    }
    if (pid != 0 && is_stopped(pid))
        pid_ = pid;
    else if (pid != 0)
        ::kill(pid, SIGCONT);
}

HaltedRun::~HaltedRun() {
    finish();
}

const DbcloneResult& HaltedRun::finish() {
    if (pid_ != 0) ::kill(pid_, SIGCONT);
    pid_ = 0;
    if (runner_.joinable()) runner_.join();
    return result_;
}

std::string file_url(const std::filesystem::path& dir) {
    return "file://" + dir.string();
}

}  // namespace dbclone::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(&dbclone::test::Harness::get());
    return RUN_ALL_TESTS();
}
