// The target side of a run: deciding where objects go (a staging schema that
// is renamed into place at the end, or an existing schema when the user
// asked for a --table-exists-action), applying DDL, sequences, ANALYZE.
#pragma once

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
