// Refresh preflight: the CHECK, foreign-key, primary-key, unique and
// exclusion constraints of the loaded tables on the source (an import: in
// the dump set, as the target server prints them) against the target's. A constraint that differs (or exists
// on one side only) would make the load fail halfway or let the target keep rules the source no longer has:
// it is named before anything is touched. A NOT VALID constraint only the target has is a note (the load
// leaves it NOT VALID).
#pragma once

#include <set>
#include <string>

#include "engine/postgres/refresh/preflight.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

void compare_constraints(PgRun& run, const std::set<std::string>& tables, PreflightFindings& findings);

}  // namespace dbclone::pg
