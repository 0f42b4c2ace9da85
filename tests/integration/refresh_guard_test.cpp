// Refresh into existing tables as a superuser and as the role a managed
// service hands out (LOGIN CREATEDB CREATEROLE, owner of its database, not
// SUPERUSER): foreign keys in both directions (one from a table outside the
// loaded set), NOT VALID checks and keys, and user triggers in every enabled
// state come back exactly as they were; a refresh that cannot finish stops
// before it touches the target; a run killed at any point and resumed ends
// with the source's rows and every constraint and trigger restored.
// Compared independently of dbclone: catalog queries and per-table
// count + md5 of the sorted rows.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>

#include "embedded/subprocess.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitUnsupported = 13;

enum class As { superuser, app_role };

std::string role_name(const ::testing::TestParamInfo<As>& info) {
    return info.param == As::superuser ? "superuser" : "app_role";
}

// The source schema: keys, a NOT VALID check with an old row that violates
// it, a NOT VALID key with an orphan row.
std::string source_sql(const std::string& s) {
    return "CREATE SCHEMA " + s + ";" + "CREATE TABLE " + s +
           ".customer (id integer PRIMARY KEY, name text NOT NULL);"
           "INSERT INTO " +
           s + ".customer SELECT g, 'customer ' || g FROM generate_series(1, 200) g;" + "CREATE TABLE " + s +
           ".orders (id integer PRIMARY KEY, customer_id integer REFERENCES " + s +
           ".customer (id), qty integer);"
           "INSERT INTO " +
           s + ".orders SELECT g, 1 + g % 200, g % 7 FROM generate_series(1, 1000) g;" + "ALTER TABLE " + s +
           ".orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;" + "CREATE TABLE " + s +
           ".note (id integer PRIMARY KEY, order_id integer, body text);"
           "INSERT INTO " +
           s + ".note SELECT g, g, 'note ' || g FROM generate_series(1, 300) g;" + "INSERT INTO " + s +
           ".note VALUES (301, 5000, 'orphan');" + "ALTER TABLE " + s +
           ".note ADD CONSTRAINT note_order_fk FOREIGN KEY (order_id) REFERENCES " + s +
           ".orders (id) NOT VALID;";
}

// Pre-prod's own objects: triggers in each state that fail loudly if they
// fire, and a table outside the schema whose key points into it.
std::string target_own_sql(const std::string& t) {
    return "CREATE FUNCTION " + t +
           ".boom() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'trigger % fired', TG_NAME; "
           "END$$;"
           "CREATE TRIGGER t_origin BEFORE INSERT ON " +
           t + ".customer FOR EACH ROW EXECUTE FUNCTION " + t + ".boom();" +
           "CREATE TRIGGER t_disabled BEFORE INSERT ON " + t + ".customer FOR EACH ROW EXECUTE FUNCTION " +
           t + ".boom();" + "ALTER TABLE " + t + ".customer DISABLE TRIGGER t_disabled;" +
           "CREATE TRIGGER t_replica BEFORE INSERT ON " + t + ".orders FOR EACH ROW EXECUTE FUNCTION " + t +
           ".boom();" + "ALTER TABLE " + t + ".orders ENABLE REPLICA TRIGGER t_replica;" +
           "CREATE TRIGGER t_always BEFORE INSERT ON " + t + ".note FOR EACH ROW EXECUTE FUNCTION " + t +
           ".boom();" + "ALTER TABLE " + t + ".note ENABLE ALWAYS TRIGGER t_always;" + "CREATE SCHEMA ext_" +
           t + ";" + "CREATE TABLE ext_" + t +
           ".ref (id integer PRIMARY KEY, customer_id integer REFERENCES " + t + ".customer (id));" +
           "INSERT INTO ext_" + t + ".ref SELECT g, g FROM generate_series(1, 20) g;";
}

// Every constraint and user trigger of the target schema and its outside
// table, with definition and state.
std::string guard_state(EmbeddedCluster& c, const std::string& db, const std::string& t) {
    return c.query_value(
        db,
        "SELECT string_agg(line, ' | ' ORDER BY line) FROM ("
        "SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || "
        "' validated=' || convalidated AS line FROM pg_constraint WHERE connamespace IN "
        "(SELECT oid FROM pg_namespace WHERE nspname IN ('" +
            t + "', 'ext_" + t +
            "')) UNION ALL "
            "SELECT 'trg ' || tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger "
            "WHERE "
            "NOT tgisinternal AND tgrelid IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = "
            "c.relnamespace WHERE n.nspname = '" +
            t + "')) x");
}

class RefreshGuard : public ::testing::TestWithParam<As> {
protected:
    void SetUp() override {
        DBCLONE_REQUIRE_FIXTURE("servers");
        const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        if (GetParam() == As::superuser && test.find("Killed") != std::string::npos)
            GTEST_SKIP() << "the kill test runs as the managed-service role (owner path)";
        auto& h = Harness::get();
        static int n = 0;
        const std::string suffix = std::to_string(++n) + (GetParam() == As::superuser ? "s" : "a");
        src_ = "rg" + suffix;
        dst_ = "rgt" + suffix;
        h.source().run_sql(kSourceDb, source_sql(src_));
        db_ = h.new_target_db("refresh_guard_" + suffix);
        source_ = h.source_superuser_conninfo();
        target_ = h.target_superuser_conninfo(db_);
        if (GetParam() == As::app_role) {
            // Reads the source through a group role; its grants are copied,
            // so it exists on the target too (a grant to a role the target
            // lacks stops the run: owners_grants_test.cpp).
            h.target().run_sql(
                "postgres",
                "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbclone_reader') "
                "THEN CREATE ROLE dbclone_reader NOLOGIN; END IF; END$$");
            h.source().run_sql(
                kSourceDb,
                "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbclone_reader') "
                "THEN CREATE ROLE dbclone_reader NOLOGIN; END IF; END$$; GRANT dbclone_reader TO " +
                    std::string(kAppRole) + "; GRANT USAGE ON SCHEMA " + src_ +
                    " TO dbclone_reader; GRANT SELECT ON ALL TABLES IN SCHEMA " + src_ +
                    " TO dbclone_reader");
            source_ = h.source_conninfo();
            target_ = h.target_conninfo(db_);
            EXPECT_EQ(h.target().query_value(
                          db_, "SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = '" +
                                   std::string(kAppRole) + "'"),
                      "f");
        }
        auto first = run_dbclone({"clone", source_, target_, "--schema", src_ + ":" + dst_});
        ASSERT_EQ(first.exit_code, 0) << describe(first);
        // The target's own objects are created by the role that owns the
        // target (psql as that role, so ownership is right).
        run_as_target_role(target_own_sql(dst_));
        state_before_ = guard_state(h.target(), db_, dst_);
        drift();
    }

    void run_as_target_role(const std::string& sql) {
        auto& t = Harness::get().target();
        if (GetParam() == As::app_role)
            t.run_sql(db_, std::string("SET ROLE ") + kAppRole + ";" + sql);
        else
            t.run_sql(db_, sql);
    }

    // Pre-prod's rows drift from prod's.
    void drift() {
        Harness::get().target().run_sql(
            db_, "UPDATE " + dst_ +
                     ".customer SET name = 'changed on pre-prod' WHERE id % 3 = 0; DELETE FROM " + dst_ +
                     ".note WHERE id > 250; DELETE FROM " + dst_ +
                     ".orders WHERE id > 990 AND id NOT IN "
                     "(SELECT order_id FROM " +
                     dst_ + ".note WHERE order_id IS NOT NULL);");
    }

    std::vector<std::string> refresh_args() {
        return {"refresh", source_, target_, "--schema", src_ + ":" + dst_};
    }

    void expect_equal_to_source_and_restored() {
        auto& h = Harness::get();
        EXPECT_EQ(table_checksums(h.target(), db_, dst_), table_checksums(h.source(), kSourceDb, src_));
        EXPECT_EQ(guard_state(h.target(), db_, dst_), state_before_);
    }

    std::string src_, dst_, db_, source_, target_, state_before_;
};

TEST_P(RefreshGuard, RestoresKeysChecksAndTriggersExactly) {
    auto r = run_dbclone(refresh_args());
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    expect_equal_to_source_and_restored();
    EXPECT_NE(r.out.find(GetParam() == As::superuser ? "fast path" : "owner path"), std::string::npos)
        << "the report says which path ran" << describe(r);
    EXPECT_EQ(Harness::get().target().query_value(db_, "SELECT count(*) FROM ext_" + dst_ + ".ref"), "20");
}

TEST_P(RefreshGuard, PlanShowsThePathAndChangesNothing) {
    auto& h = Harness::get();
    auto before = table_checksums(h.target(), db_, dst_);
    std::vector<std::string> args{"plan"};
    auto rest = refresh_args();
    args.insert(args.end(), rest.begin(), rest.end());
    auto r = run_dbclone(args);
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.out.find("foreign key(s) touching the loaded tables"), std::string::npos) << describe(r);
    EXPECT_EQ(table_checksums(h.target(), db_, dst_), before);
    EXPECT_EQ(guard_state(h.target(), db_, dst_), state_before_);
}

TEST_P(RefreshGuard, SourceColumnAddedStopsBeforeTouchingTheTarget) {
    auto& h = Harness::get();
    h.source().run_sql(kSourceDb, "ALTER TABLE " + src_ + ".customer ADD COLUMN phone text DEFAULT '555'");
    auto before = table_checksums(h.target(), db_, dst_);
    auto comment = h.target().query_value(db_, "SELECT obj_description('" + dst_ + "'::regnamespace)");
    auto r = run_dbclone(refresh_args());
    EXPECT_EQ(r.exit_code, kExitUnsupported) << describe(r);
    EXPECT_NE(r.err.find("\"phone\""), std::string::npos) << "names the difference" << describe(r);
    EXPECT_NE(r.err.find("HINT"), std::string::npos) << describe(r);
    EXPECT_EQ(table_checksums(h.target(), db_, dst_), before);
    EXPECT_EQ(guard_state(h.target(), db_, dst_), state_before_);
    EXPECT_EQ(h.target().query_value(db_, "SELECT obj_description('" + dst_ + "'::regnamespace)"), comment);
    // plan refresh shows the same finding.
    std::vector<std::string> args{"plan"};
    auto rest = refresh_args();
    args.insert(args.end(), rest.begin(), rest.end());
    auto p = run_dbclone(args);
    EXPECT_EQ(p.exit_code, kExitUnsupported) << describe(p);
    EXPECT_NE(p.err.find("\"phone\""), std::string::npos) << describe(p);
}

TEST_P(RefreshGuard, RowThatNoLongerValidatesIsReportedAndTheKeyLeftNotValid) {
    auto& h = Harness::get();
    // Pre-prod has a customer prod lacks, and its outside table points at it.
    h.target().run_sql(db_, "SET session_replication_role = replica; INSERT INTO " + dst_ +
                                ".customer VALUES (9999, 'pre-prod only');"
                                "INSERT INTO ext_" +
                                dst_ + ".ref VALUES (500, 9999);");
    auto r = run_dbclone(refresh_args());
    EXPECT_EQ(r.exit_code, kExitVerifyMismatch) << describe(r);
    EXPECT_NE(r.out.find("(9999)"), std::string::npos) << "the key is named" << describe(r);
    EXPECT_NE(r.out.find("ref_customer_id_fkey"), std::string::npos)
        << "the constraint is named" << describe(r);
    EXPECT_EQ(h.target().query_value(db_,
                                     "SELECT convalidated FROM pg_constraint WHERE conname = "
                                     "'ref_customer_id_fkey' AND connamespace = 'ext_" +
                                         dst_ + "'::regnamespace"),
              "f");
    EXPECT_EQ(table_checksums(h.target(), db_, dst_), table_checksums(h.source(), kSourceDb, src_));
}

// SIGKILL at increasing delays through a refresh, each followed by --resume.
TEST_P(RefreshGuard, KilledAtAnyPointResumesToTheSourceWithEverythingRestored) {
    if (GetParam() == As::superuser)
        GTEST_SKIP() << "the kill test runs as the non-superuser role (owner path)";
    auto& h = Harness::get();
    SubprocessOptions opts{.drop_env_prefixes = {"PG"}, .timeout = std::chrono::minutes(10)};
    opts.env["XDG_STATE_HOME"] = (h.work_dir() / "state").string();
    std::vector<std::string> argv{DBCLONE_BINARY};
    auto args = refresh_args();
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> resume_argv{DBCLONE_BINARY, "--resume"};
    resume_argv.insert(resume_argv.end(), args.begin(), args.end());

    // How long one refresh takes here, to spread the kill points over it.
    auto start = std::chrono::steady_clock::now();
    auto whole = run_subprocess(argv, opts);
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    auto span =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    expect_equal_to_source_and_restored();

    // About a third of a run is start-up (connections, catalog) before the
    // first step changes anything: the points cover the rest more densely. A
    // run that ends before its kill point is tried again at another point.
    constexpr int kPoints = 30;    // positions over the run
    constexpr int kWanted = 20;    // kills that must land inside a run
    constexpr int kAttempts = 60;  // at most
    int killed = 0, tried = 0;
    std::map<std::string, int> killed_in;  // the step each kill landed in, from the progress lines
    for (int attempt = 0; attempt < kAttempts && killed < kWanted; ++attempt) {
        const int i = (attempt * 7) % kPoints;  // every position once in the first kPoints attempts
        ++tried;
        drift();
        auto kill_opts = opts;
        kill_opts.interrupt_signal = SIGKILL;
        kill_opts.interrupt_after = span * 3 / 10 + span * 7 * i / (10 * kPoints);
        auto first = run_subprocess(argv, kill_opts);
        if (first.exit_code == 128 + SIGKILL) {
            ++killed;
            auto at = first.err.rfind("] step ");
            auto step = at == std::string::npos
                            ? std::string("(before the first step)")
                            : first.err.substr(at + 7, first.err.find_first_of(":\n", at) - at - 7);
            ++killed_in[step];
            auto second = run_subprocess(resume_argv, opts);
            ASSERT_EQ(second.exit_code, 0)
                << "kill point " << i << " (" << kill_opts.interrupt_after.count() << " ms): " << second.err;
        } else {
            ASSERT_EQ(first.exit_code, 0) << first.err;
        }
        SCOPED_TRACE("kill point " + std::to_string(i));
        expect_equal_to_source_and_restored();
        if (HasFailure()) break;
    }
    std::printf(
        "[refresh kill test] %d kill points tried over a %lld ms run, %d killed mid-run and resumed\n", tried,
        static_cast<long long>(span.count()), killed);
    for (const auto& [step, count] : killed_in)
        std::printf("  last step line before the kill: %s: %d\n", step.c_str(), count);
    EXPECT_GE(killed, kWanted) << "kill points that landed inside a run";
}

INSTANTIATE_TEST_SUITE_P(Roles, RefreshGuard, ::testing::Values(As::superuser, As::app_role), role_name);

}  // namespace
}  // namespace dbclone::test
