// Verification of a PostgreSQL copy: the object inventory (kind, name and
// definition), per-table row counts and content checksums, sequence values,
// and no invalid objects. Each difference is one failed check naming the object.
#pragma once

#include <functional>
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
// one on a side only fails. The load's own verify passes `not_copied` (why
// the load could not set one, "" when it could: those were warnings, and
// are reported so, not as missing) and `target_keeps_own` (the target
// schema existed: its own are info).
void compare_default_privileges(const SchemaCatalog& source, const SchemaCatalog& target, Report& report,
                                bool target_keeps_own = false,
                                const std::function<std::string(const DefaultPrivilege&)>& not_copied = {});

// The schemas' own security labels (those of their objects are entries,
// compared with the inventory): one on a side only fails, or is info when
// the target schema existed and keeps its own.
void compare_schema_labels(const SchemaCatalog& source, const SchemaCatalog& target, Report& report,
                           bool target_keeps_own = false);

void check_invalid_objects(Connection& target, const std::string& schema, Report& report);

}  // namespace dbclone::pg
