// Through a transaction-mode pooler (Debian's pgbouncer, pool_mode =
// transaction, on loopback in front of both test servers): consecutive
// transactions of one client run in different server sessions, so nothing
// may rely on session state (search_path, session_replication_role, the
// session settings, a session advisory lock). clone, export, import and
// refresh run through it as the managed-service role and are compared with
// the source without dbclone (catalog inventory, rows md5). Skips, saying
// so, when pgbouncer is not installed (scripts/install-deps.sh --test).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "embedded/subprocess.h"
#include "harness.h"

namespace dbclone::test {
namespace {

int free_loopback_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        close(fd);
        return 0;
    }
    close(fd);
    return ntohs(a.sin_port);
}

bool port_accepts(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

// One pgbouncer in transaction mode; databases map to the test servers'
// sockets. Stopped (SIGTERM to the pid it wrote) when destroyed.
class PgBouncer {
public:
    static std::string missing() {
        return find_on_path("pgbouncer").empty() && !std::filesystem::exists("/usr/sbin/pgbouncer")
                   ? "pgbouncer is not installed (Debian package pgbouncer; scripts/install-deps.sh --test)"
                   : "";
    }

    // databases: name on the pooler -> (cluster, database name on it)
    void start(const std::vector<std::tuple<std::string, EmbeddedCluster*, std::string>>& databases) {
        auto& h = Harness::get();
        dir_ = h.new_dir("pgbouncer");
        port_ = free_loopback_port();
        ASSERT_NE(port_, 0);
        std::ofstream ini(dir_ / "pgbouncer.ini");
        ini << "[databases]\n";
        for (const auto& [name, cluster, db] : databases)
            ini << name << " = host=" << cluster->socket_dir().string() << " port=" << cluster->port()
                << " dbname=" << db << "\n";
        ini << "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " << port_
            << "\nunix_socket_dir =\nauth_type = trust\nauth_file = " << (dir_ / "users.txt").string()
            << "\npool_mode = transaction\ndefault_pool_size = 8\nmax_client_conn = 200\n"
               "ignore_startup_parameters = extra_float_digits,options\n"
               "logfile = "
            << (dir_ / "pgbouncer.log").string() << "\npidfile = " << (dir_ / "pgbouncer.pid").string()
            << "\n";
        ini.close();
        std::ofstream users(dir_ / "users.txt");
        users << "\"" << kAppRole << "\" \"\"\n";
        users.close();
        SubprocessOptions opts{.drop_env_prefixes = {"PG"}};
        if (geteuid() == 0) {
            // pgbouncer refuses to run as root: as the servers' OS user.
            struct passwd* pw = getpwnam("postgres");
            ASSERT_NE(pw, nullptr);
            for (const auto& p : std::filesystem::recursive_directory_iterator(dir_))
                ASSERT_EQ(chown(p.path().c_str(), pw->pw_uid, pw->pw_gid), 0);
            ASSERT_EQ(chown(dir_.c_str(), pw->pw_uid, pw->pw_gid), 0);
            opts.run_as_user = "postgres";
        }
        auto binary = find_on_path("pgbouncer");
        if (binary.empty()) binary = "/usr/sbin/pgbouncer";
        auto r = run_subprocess({binary.string(), "-d", (dir_ / "pgbouncer.ini").string()}, opts);
        ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
        for (int i = 0; i < 100 && !port_accepts(port_); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ASSERT_TRUE(port_accepts(port_)) << read_file(dir_ / "pgbouncer.log");
    }

    ~PgBouncer() {
        std::ifstream pidfile(dir_ / "pgbouncer.pid");
        pid_t pid = 0;
        if (pidfile >> pid && pid > 0) kill(pid, SIGTERM);
    }

    std::string conninfo(const std::string& db) const {
        return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + kAppRole + " dbname=" + db;
    }
    std::string log() const { return read_file(dir_ / "pgbouncer.log"); }

private:
    std::filesystem::path dir_;
    int port_ = 0;
};

TEST(Pooler, CloneExportImportAndRefreshThroughPgbouncerInTransactionMode) {
    if (auto m = PgBouncer::missing(); !m.empty()) GTEST_SKIP() << m;
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("pooler");
    PgBouncer pooler;
    ASSERT_NO_FATAL_FAILURE(pooler.start({{"src", &h.source(), kSourceDb}, {"tgt", &h.target(), db}}));
    const auto source = pooler.conninfo("src");
    const auto target = pooler.conninfo("tgt");

    // clone: both sides through the pooler.
    auto c = run_dbclone({"-v", "--jobs", "2", "clone", source, target, "--schema", "shop:shop_pooled"});
    ASSERT_EQ(c.exit_code, 0) << describe(c) << pooler.log();
    EXPECT_NE(c.err.find("transaction-mode pooler"), std::string::npos)
        << "the pooler was not detected: " << describe(c);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_pooled");

    // export and import through it.
    auto store = h.new_dir("pooler_store");
    auto ex = run_dbclone({"--jobs", "2", "export", source, "--schema", "shop", "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    auto im = run_dbclone(
        {"--jobs", "2", "import", target, "--store", file_url(store), "--schema", "shop:shop_imported"});
    ASSERT_EQ(im.exit_code, 0) << describe(im);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_imported");

    // refresh after pre-prod drifted: the loaded tables' search_path and
    // the load sessions' settings must hold in every transaction.
    h.target().run_sql(db, "UPDATE shop_pooled.customer SET full_name = 'changed on pre-prod'");
    auto rf = run_dbclone({"--jobs", "2", "refresh", source, target, "--schema", "shop:shop_pooled"});
    ASSERT_EQ(rf.exit_code, 0) << describe(rf) << pooler.log();
    EXPECT_EQ(table_checksums(h.target(), db, "shop_pooled"), table_checksums(h.source(), kSourceDb, kDemo));

    // The run's lock went with the run: a second refresh is not "busy".
    auto again = run_dbclone({"--jobs", "2", "refresh", source, target, "--schema", "shop:shop_pooled"});
    EXPECT_EQ(again.exit_code, 0) << describe(again);
}

}  // namespace
}  // namespace dbclone::test
