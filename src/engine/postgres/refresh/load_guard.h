// What a load into existing tables changes on the target, and how it is put
// back. Rows of a refresh arrive table by table (each table emptied and
// loaded in one transaction, so readers see old rows or new rows), in any
// order and in parallel: foreign keys touching the loaded tables - both
// directions, including from tables outside the set - and NOT VALID checks
// are dropped first and re-added after the load; user triggers are disabled
// (as the table owner) unless the session may use
// session_replication_role = replica, and come back exactly as they were.
//
// The guard is written to the journal before anything is changed, so a run
// killed at any point restores from the journaled guard on --resume, never
// from the target's already-changed catalog.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/postgres/libpq/connection.h"
#include "verify/report.h"

namespace dbclone::pg {

struct SavedConstraint {
    std::string table;       // qualified, quoted: "shop"."note"
    std::string name;        // constraint name (unquoted)
    char type = 'f';         // 'f' foreign key, 'c' check
    std::string definition;  // pg_get_constraintdef, fully qualified, without NOT VALID
    bool validated = true;   // false: it comes back NOT VALID
    // Foreign keys: the referencing columns (quoted), the referenced table and
    // columns, to name a row that no longer validates.
    std::vector<std::string> columns;
    std::string ref_table;
    std::vector<std::string> ref_columns;
};

struct SavedTrigger {
    std::string table;  // qualified, quoted
    std::string name;
    char enabled = 'O';  // pg_trigger.tgenabled: O origin, D disabled, R replica, A always
};

struct LoadGuard {
    std::vector<SavedConstraint> constraints;
    std::vector<SavedTrigger> triggers;  // only those this run disables
    bool replica = false;                // session_replication_role = replica on the load sessions

    bool empty() const { return constraints.empty() && triggers.empty(); }
    std::set<std::string> trigger_tables() const;
};

nlohmann::json to_json(const LoadGuard& guard);
LoadGuard load_guard_from_json(const nlohmann::json& json);

// Whether this session may SET session_replication_role = replica
// (superuser, GRANT SET ON PARAMETER on 15+, managed roles that allow it);
// probed in a transaction that is rolled back.
bool may_use_replica_role(Connection& conn);

// Reads what a load into `tables` of `schema` changes. `external_keys_only`:
// only foreign keys from tables outside the set (replace recreates the set's
// own constraints). Triggers: those that would fire for copied rows - all
// enabled user triggers, or with `replica` only ENABLE REPLICA/ALWAYS ones.
LoadGuard read_load_guard(Connection& conn, const std::string& schema, const std::set<std::string>& tables,
                          bool replica, bool external_keys_only);

// Drops the constraints and disables the triggers, in one transaction.
// Idempotent (a resumed run may do it again).
void relax_load_guard(Connection& conn, const LoadGuard& guard);

// Re-adds each constraint not present (NOT VALID, then VALIDATE when it was
// valid) and puts each trigger back in its state. A row that no longer
// validates is a failed check in `report` (table, constraint, key) and the
// constraint stays NOT VALID. Idempotent.
void restore_load_guard(Connection& conn, const LoadGuard& guard, Report& report);

// Lines for `plan` and the summary.
std::string describe_load_guard(const LoadGuard& guard);

}  // namespace dbclone::pg
