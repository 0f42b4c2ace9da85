#include "embedded/pg_binaries.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <system_error>

#include "core/error.h"
#include "embedded/subprocess.h"

namespace dbclone {

namespace {

constexpr const char* kDebianRoot = "/usr/lib/postgresql";

bool has_initdb(const std::filesystem::path& dir) {
    return access((dir / "initdb").c_str(), X_OK) == 0;
}

// Debian installs each major version side by side; the newest one wins.
std::filesystem::path newest_debian_bindir() {
    std::error_code ec;
    std::filesystem::path best;
    long best_version = -1;
    for (const auto& entry : std::filesystem::directory_iterator(kDebianRoot, ec)) {
        const std::string name = entry.path().filename().string();
        char* end = nullptr;
        long version = std::strtol(name.c_str(), &end, 10);
        if (end == name.c_str() || *end != '\0') continue;
        auto bin = entry.path() / "bin";
        if (version > best_version && has_initdb(bin)) {
            best_version = version;
            best = bin;
        }
    }
    return best;
}

std::filesystem::path pg_config_bindir() {
    if (find_on_path("pg_config").empty()) return {};
    auto result = run_subprocess({"pg_config", "--bindir"});
    if (result.exit_code != 0) return {};
    std::string dir = result.out;
    while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r' || dir.back() == ' ')) dir.pop_back();
    return dir;
}

}  // namespace

std::filesystem::path find_pg_bindir() {
    if (const char* env = std::getenv("DBCLONE_PG_BINDIR"); env != nullptr && *env != '\0') {
        if (!has_initdb(env))
            throw Error(ErrorKind::not_found,
                        std::string("DBCLONE_PG_BINDIR=") + env + " holds no executable initdb",
                        "point DBCLONE_PG_BINDIR at a PostgreSQL bin directory (run scripts/install-deps.sh "
                        "to install one), or unset it");
        return env;
    }
    if (auto dir = newest_debian_bindir(); !dir.empty()) return dir;
    if (auto dir = pg_config_bindir(); !dir.empty() && has_initdb(dir)) return dir;
    throw Error(ErrorKind::not_found, "no PostgreSQL server programs (initdb, pg_ctl) found",
                "run scripts/install-deps.sh, or set DBCLONE_PG_BINDIR to their directory");
}

}  // namespace dbclone
