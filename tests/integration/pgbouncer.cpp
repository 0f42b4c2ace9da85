#include "pgbouncer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <net/if.h>
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

sockaddr_in ipv4(const std::string& address, int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1) a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// A port nobody listens on at `address`: the kernel picks it.
int free_port(const std::string& address) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    auto a = ipv4(address, 0);
    socklen_t len = sizeof a;
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    close(fd);
    return ok ? ntohs(a.sin_port) : 0;
}

bool port_accepts(const std::string& address, int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    auto a = ipv4(address, port);
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

}  // namespace

std::string PgBouncer::missing() {
    return find_on_path("pgbouncer").empty() && !std::filesystem::exists("/usr/sbin/pgbouncer")
               ? "pgbouncer is not installed (Debian package pgbouncer; scripts/install-deps.sh --test)"
               : "";
}

void PgBouncer::start(const std::vector<std::tuple<std::string, EmbeddedCluster*, std::string>>& databases) {
    auto& h = Harness::get();
    dir_ = h.new_dir("pgbouncer");
    port_ = free_port(options_.listen_addr);
    ASSERT_NE(port_, 0) << "no free port on " << options_.listen_addr;
    std::ofstream ini(dir_ / "pgbouncer.ini");
    ini << "[databases]\n";
    for (const auto& [name, cluster, db] : databases)
        ini << name << " = host=" << cluster->socket_dir().string() << " port=" << cluster->port()
            << " dbname=" << db << "\n";
    ini << "[pgbouncer]\nlisten_addr = " << options_.listen_addr << "\nlisten_port = " << port_
        << "\nunix_socket_dir =\nauth_type = trust\nauth_file = " << (dir_ / "users.txt").string()
        << "\npool_mode = " << options_.pool_mode
        << "\ndefault_pool_size = 8\nmax_client_conn = 200\n"
           "ignore_startup_parameters = extra_float_digits,options\n"
           "logfile = "
        << (dir_ / "pgbouncer.log").string() << "\npidfile = " << (dir_ / "pgbouncer.pid").string() << "\n";
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
    for (int i = 0; i < 100 && !port_accepts(options_.listen_addr, port_); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(port_accepts(options_.listen_addr, port_)) << read_file(dir_ / "pgbouncer.log");
}

PgBouncer::~PgBouncer() {
    std::ifstream pidfile(dir_ / "pgbouncer.pid");
    pid_t pid = 0;
    if (pidfile >> pid && pid > 0) kill(pid, SIGTERM);
}

std::string PgBouncer::conninfo(const std::string& db) const {
    return "host=" + options_.listen_addr + " port=" + std::to_string(port_) + " user=" + kAppRole +
           " dbname=" + db;
}

std::string PgBouncer::log() const {
    return read_file(dir_ / "pgbouncer.log");
}

std::string non_loopback_ipv4() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return "";
    std::string out;
    for (auto* i = list; i != nullptr && out.empty(); i = i->ifa_next) {
        if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
        if ((i->ifa_flags & IFF_UP) == 0 || (i->ifa_flags & IFF_LOOPBACK) != 0) continue;
        char text[INET_ADDRSTRLEN] = {};
        const auto* a = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        if (inet_ntop(AF_INET, &a->sin_addr, text, sizeof text) != nullptr) out = text;
    }
    freeifaddrs(list);
    return out;
}

}  // namespace dbclone::test
