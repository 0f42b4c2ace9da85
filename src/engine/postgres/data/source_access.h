// Before the source's tables are locked and read: can this role read every
// table and sequence of the schema, and does row-level security hide rows
// from it? A table the role may not SELECT would fail at LOCK TABLE with no
// hint; a table whose policies apply to the role would make COPY fail
// halfway (the sessions run with row_security = off, so the server refuses
// instead of silently returning fewer rows). Both are named up front, with
// what to run.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// Error(unsupported) naming the tables; nothing has been touched yet.
// With `allow_row_security` (--enable-row-security) tables under policies
// are not an error: they are returned, so the run can read them with
// row_security = on and say that their rows may be incomplete.
std::vector<std::string> check_source_access(Connection& source, const std::string& schema,
                                             bool allow_row_security = false);

// Tables of `schema` (all, or those in `only`) whose row-level security
// policies apply to the connected role: row_security_active, i.e. RLS
// enabled and the role neither BYPASSRLS nor the owner of a table without
// FORCE ROW LEVEL SECURITY. Every dbclone session runs with row_security =
// off, so the server refuses COPY from or into such a table (42501) instead
// of hiding rows: a run must find them before it starts.
std::vector<std::string> tables_under_row_security(Connection& conn, const std::string& schema,
                                                   const std::set<std::string>& only = {});

// Of those, the ones the role owns (or whose owner's privileges it has) with
// FORCE ROW LEVEL SECURITY: the role itself may lift FORCE for a read.
std::vector<std::string> tables_forced_on_owner(Connection& conn, const std::string& schema,
                                                const std::set<std::string>& only = {});

// What lets the role read and load those tables: for each one it owns,
// ALTER TABLE ... NO FORCE ROW LEVEL SECURITY (the policies still apply to
// every other role); else a role with BYPASSRLS.
std::string row_security_hint(Connection& conn, const std::string& schema,
                              const std::vector<std::string>& tables);

}  // namespace dbclone::pg
