// Where the demo schema of the embedded default (samples/demo/demo.sql) is.
#pragma once

#include <filesystem>

namespace dbclone {

// <dir of the executable>/../share/dbclone/demo.sql, then the configured
// install prefix, then the source tree (DBCLONE_SAMPLES_DIR/demo/demo.sql).
// Throws Error(not_found) naming the places it looked.
std::filesystem::path find_demo_sql();

}  // namespace dbclone
