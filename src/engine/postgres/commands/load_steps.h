// Plan steps shared by the commands that load a target (clone, import): the
// target is prepared first (a staging schema, or an existing schema when a
// --table-exists-action was given), data is loaded by the command's own step,
// then post-data, sequences, ANALYZE, verification and the final rename.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/plan.h"
#include "engine/postgres/commands/read_back.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// prepare-target and create-objects.
void add_prepare_steps(Plan& plan, const std::shared_ptr<PgRun>& run);

// What the loaded tables must hold, by table name (source side of a clone,
// the manifest of an import).
using ExpectedTables = std::function<std::map<std::string, TableCopyResult>()>;

// post-data, sequences, analyze, verify (unless --no-verify), finalize.
void add_finish_steps(Plan& plan, const std::shared_ptr<PgRun>& run, const ExpectedTables& expected);

// Which catalog tables receive rows, given the tables that existed before
// the run and --table-exists-action (skip leaves existing tables alone).
bool table_receives_rows(const PgRun& run, const std::string& table);
// Whether a table is emptied in the load transaction before rows arrive.
bool table_truncated_first(const PgRun& run, const std::string& table);

// An existing table loaded where it is (truncate, append): one part, one
// transaction, never cut into ranges loaded in parallel.
bool table_loads_in_one_transaction(const PgRun& run, const std::string& table);

// Session settings of a connection that loads rows into the target.
void prepare_load_session(PgRun& run, Connection& conn);

// What the worker that loaded a table does next, on its load session, while
// others still copy: when the run verifies, has the table's rows read back
// from the target beside what follows (read_back.h); builds the table's
// keys and indexes (target.h, apply_table_post_data); analyzes it; adds
// the foreign keys whose two tables are now both loaded and keyed (target.h,
// add_ready_foreign_keys). The caller waits for `read_backs` (finish) once
// every table is loaded.
void after_table_loaded(PgRun& run, Journal& journal, Connection& conn, std::size_t worker,
                        const TableData& table, ReadBacks& read_backs);

std::string describe_load_mode(const PgRun& run);

}  // namespace dbclone::pg
