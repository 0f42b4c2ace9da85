// Checks before a load into existing tables (refresh, --table-exists-action
// truncate|append) touches anything: the structure of the target's tables
// against the source or dump (columns, types, constraints:
// refresh/constraint_compare.h), and the privileges the load
// needs (TRUNCATE and INSERT on the loaded tables, ownership of the tables
// whose constraints or triggers it changes, no row-level security that
// applies to the role: COPY into such a table fails). A run that cannot finish does
// not start; `plan` shows the same findings.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/postgres/refresh/load_guard.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

struct PreflightFindings {
    std::vector<std::string> blocking;  // the run would fail or lose data: it does not start
    std::vector<std::string> notes;     // the run works; worth knowing (printed as warnings)
    std::vector<std::string> hints;     // what to do about a blocking finding, where it has its own
};

// `tables`: the existing target tables that receive rows.
PreflightFindings preflight_load(PgRun& run, const std::set<std::string>& tables, const LoadGuard& guard);

// Error(unsupported) naming every blocking finding, with what to do.
void stop_if_blocked(const PreflightFindings& findings);

}  // namespace dbclone::pg
