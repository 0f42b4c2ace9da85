// Where the PostgreSQL server programs (initdb, pg_ctl, postgres, psql) live.
#pragma once

#include <filesystem>

namespace dbclone {

// $DBCLONE_PG_BINDIR, else the newest /usr/lib/postgresql/<N>/bin holding
// initdb, else `pg_config --bindir`. Throws Error(not_found) with a hint to run
// scripts/install-deps.sh when none holds initdb.
std::filesystem::path find_pg_bindir();

}  // namespace dbclone
