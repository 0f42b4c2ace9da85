// The extensions the copied schema uses (SchemaCatalog::extensions) on the
// target: DDL names their types, operators and functions qualified with the
// source's extension schema (citext in `public`, or in `extensions` as
// Supabase installs it), so each must be installed in that same schema.
// Checked at plan time, before anything is touched; --create-extensions
// creates the missing ones the target offers (CREATE EXTENSION IF NOT EXISTS).
#pragma once

#include <string>

#include "engine/postgres/run.h"

namespace dbclone::pg {

// Error(unsupported) naming every extension that is missing (and not to be
// created, or not available) or installed in another schema; version
// differences become warnings. Fills run.extensions_to_create.
void check_target_extensions(PgRun& run);

// prepare-target: creates run.extensions_to_create.
void create_extensions(PgRun& run);

// For the plan ("" if nothing to say).
std::string describe_extensions(const PgRun& run);

}  // namespace dbclone::pg
