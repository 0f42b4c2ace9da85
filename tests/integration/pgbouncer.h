// A real pgbouncer in front of the test servers, for the tests that need a
// connection that is not a Unix-domain socket to them: through a
// transaction-mode pooler (pooler_test.cpp), or from an address that is not
// loopback (load_parts_test.cpp). Debian's package; tests skip, saying so,
// where it is not installed.
#pragma once

#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "embedded/embedded_cluster.h"

namespace dbclone::test {

class PgBouncer {
public:
    struct Options {
        std::string listen_addr = "127.0.0.1";  // where it listens, and the host clients use
        std::string pool_mode = "transaction";
    };

    // Why pgbouncer cannot run here, or "".
    static std::string missing();

    PgBouncer() = default;
    explicit PgBouncer(Options options) : options_(std::move(options)) {}
    PgBouncer(const PgBouncer&) = delete;
    PgBouncer& operator=(const PgBouncer&) = delete;
    // Stops it (SIGTERM to the pid it wrote).
    ~PgBouncer();

    // databases: name on the pooler -> (cluster, database name on it).
    // Assertions fail (ASSERT_NO_FATAL_FAILURE) when it does not start.
    void start(const std::vector<std::tuple<std::string, EmbeddedCluster*, std::string>>& databases);

    // As the managed-service role, to a database name on the pooler.
    std::string conninfo(const std::string& db) const;
    std::string log() const;

private:
    Options options_;
    std::filesystem::path dir_;
    int port_ = 0;
};

// The first IPv4 address of an interface that is up and not loopback, or ""
// (a machine with loopback alone).
std::string non_loopback_ipv4();

}  // namespace dbclone::test
