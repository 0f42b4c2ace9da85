#include "embedded/demo_schema.h"

#include <string>
#include <system_error>
#include <vector>

#include "core/error.h"

namespace dbclone {

std::filesystem::path find_demo_sql() {
    std::vector<std::filesystem::path> candidates;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "dbclone" / "demo.sql");
#ifdef DBCLONE_INSTALL_DATADIR
    candidates.emplace_back(std::filesystem::path(DBCLONE_INSTALL_DATADIR) / "demo.sql");
#endif
#ifdef DBCLONE_SAMPLES_DIR
    candidates.emplace_back(std::filesystem::path(DBCLONE_SAMPLES_DIR) / "demo" / "demo.sql");
#endif
    std::string looked;
    for (const auto& c : candidates) {
        if (std::filesystem::is_regular_file(c, ec)) return c;
        looked += (looked.empty() ? "" : ", ") + c.string();
    }
    throw Error(ErrorKind::not_found, "the demo schema demo.sql is not installed (looked in " + looked + ")",
                "reinstall dbclone (cmake --install) or run it from its build tree");
}

}  // namespace dbclone
