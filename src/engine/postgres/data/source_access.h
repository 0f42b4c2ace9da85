// Before the source's tables are locked and read: can this role read every
// table and sequence of the schema, and does row-level security hide rows
// from it? A table the role may not SELECT would fail at LOCK TABLE with no
// hint; a table whose policies apply to the role would make COPY fail
// halfway (the sessions run with row_security = off, so the server refuses
// instead of silently returning fewer rows). Both are named up front, with
// what to run.
#pragma once

#include <string>

#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// Error(unsupported) naming the tables; nothing has been touched yet.
void check_source_access(Connection& source, const std::string& schema);

}  // namespace dbclone::pg
