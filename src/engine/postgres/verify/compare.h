// Verification of a PostgreSQL copy: the object inventory (kind, name and
// definition), per-table row counts and content checksums, sequence values,
// and no invalid objects. Each difference is one failed check naming the object.
#pragma once

#include <map>
#include <set>
#include <string>

#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/run.h"
#include "engine/postgres/verify/redeparse.h"
#include "verify/report.h"

namespace dbclone::pg {

// `target_keeps_own`: the target schema existed before the load and keeps
// its own objects (--table-exists-action, refresh); they are reported as
// info, not as differences.
// Definitions that differ as text are given to `redeparse` (redeparse.h)
// when set: equal after a re-deparse on the target server is equal.
// `rewrite_bodies`: as the load was asked (--no-rewrite-bodies).
void compare_inventory(const SchemaCatalog& source, const SchemaCatalog& target,
                       const std::set<std::string>& target_roles, Report& report,
                       bool target_keeps_own = false, const Redeparse& redeparse = {},
                       bool rewrite_bodies = true);

void compare_tables(const std::vector<TableData>& tables,
                    const std::map<std::string, TableCopyResult>& source_tables,
                    const std::map<std::string, TableCopyResult>& target_tables, Report& report);

void compare_sequences(const SchemaCatalog& source, const SchemaCatalog& target, Report& report);

// The schemas' default privileges (ALTER DEFAULT PRIVILEGES ... IN SCHEMA):
// one on a side only fails. `dbclone verify` only: a load sets them at
// finalize, after its own verification.
void compare_default_privileges(const SchemaCatalog& source, const SchemaCatalog& target, Report& report);

void check_invalid_objects(Connection& target, const std::string& schema, Report& report);

}  // namespace dbclone::pg
