// --table-exists-action replace drops the existing tables with CASCADE. What
// CASCADE would take along in other schemas (a view, a function taking the
// table's row type, a policy) is not part of the copy and would be lost
// without a word: it is found first (pg_depend, target/sql/dependents.sql)
// and stops the run, naming every such object, unless --drop-dependents.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// "view other.v_rnd" per object, sorted; empty when nothing outside `schema` depends.
std::vector<std::string> outside_dependents(Connection& target, const std::string& schema,
                                            const std::set<std::string>& tables);

// Error(dependents) naming them, unless there are none or `allowed`.
void stop_on_outside_dependents(Connection& target, const std::string& schema,
                                const std::set<std::string>& tables, bool allowed);

}  // namespace dbclone::pg
