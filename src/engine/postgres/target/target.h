// The target side of a run: deciding where objects go (a staging schema that
// is renamed into place at the end, or an existing schema when the user
// asked for a --table-exists-action), applying DDL, sequences, ANALYZE.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/journal.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// Connects and decides the load mode. Error(target_exists) when the target
// schema exists, is not empty and no --table-exists-action was given.
void connect_target(PgRun& run);

// search_path and settings for creating objects in run.load_schema.
void enter_load_schema(PgRun& run, Connection& conn);

void create_staging_schema(PgRun& run);
void apply_pre_data(PgRun& run, Journal& journal);
void apply_post_data(PgRun& run, Journal& journal);
// Session settings of a connection that builds indexes and keys: at least
// 256MB of maintenance_work_mem (as pg_restore users give), never less than
// the server already gives.
void prepare_index_build_session(Connection& conn);
// The post-data entries that need only one table's own rows (its primary,
// unique and exclusion keys and its indexes; not those of partitions, which
// attach to their parent's), run on `conn` as soon as that table is loaded,
// while other tables are still copying. Journaled as the post-data step does
// (intent first), which then skips them. Staging loads only: a load into an
// existing schema keeps post-data in its own step. Returns whether the table
// now has every object ANALYZE gathers statistics for (its indexes, and no
// extended statistics still to come): then it can be analyzed at once.
// Index builds (and the index of a key with DdlEntry::key_index_sql) let
// the table be read meanwhile; `before_exclusive_lock` is called before
// any statement that takes an ACCESS EXCLUSIVE lock on the table, so that
// the caller can let its own reader of the table finish first instead of
// having the statement wait on that lock (and on lock_timeout).
bool apply_table_post_data(PgRun& run, Journal& journal, Connection& conn, const std::string& table,
                           const std::function<void()>& before_exclusive_lock);
// Called by the worker that loaded `table` once its keys, indexes and
// ANALYZE are done: adds every foreign key (within the schema) whose
// two tables are now both in that state, overlapping the copy of other
// tables (its validating scan finds the rows in cache), journaled as
// post-data entries, which that step then skips. Staging loads only; keys
// of partitions and of tables not keyed during the copy wait for post-data.
void add_ready_foreign_keys(PgRun& run, Journal& journal, Connection& conn, const std::string& table);
// Called by the worker that loaded `table` as soon as its rows are in,
// before its keys and indexes: adds the table's foreign keys to tables
// already keyed. Their validating scans then run beside the table's
// read-back instead of after its key builds (the scan needs the referenced
// key, not this table's). Staging loads only.
void add_foreign_keys_of_loaded_table(PgRun& run, Journal& journal, Connection& conn,
                                      const std::string& table);
// A resumed copy-data step loads tables again (in this run's snapshot), and
// TRUNCATE refuses a table a foreign key references: the keys an earlier
// process added during its copy (add_ready_foreign_keys; post-data never
// ran while copy-data is unfinished) are dropped and forgotten, to be added
// again as tables load, or in post-data. Staging loads only.
void drop_early_foreign_keys(PgRun& run, Journal& journal);
void restore_sequences(PgRun& run);
void analyze_tables(PgRun& run);
// Staging mode: rename into place, set the schema's comment and grants.
void finalize_schema(PgRun& run, Journal& journal);

// Roles that exist on the target (grants to others are skipped with a warning).
std::set<std::string> target_roles(Connection& conn);

// Error(target_exists) for a non-empty target schema and no --table-exists-action.
Error target_not_empty(const std::string& schema);

// Name of the staging schema an import builds before renaming it into place.
std::string staging_schema_name(const std::string& target_schema);

}  // namespace dbclone::pg
