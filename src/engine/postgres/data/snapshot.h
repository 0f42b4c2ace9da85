// The source side's consistent view: one transaction that share-locks the
// schema's tables and exports its snapshot, and worker connections that join it.
#pragma once

#include <memory>
#include <string>

#include "engine/postgres/libpq/connection.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// BEGIN REPEATABLE READ READ ONLY, share-lock the schema's tables (so no DDL
// can change them mid-copy, as pg_dump does), export the snapshot.
void open_source_snapshot(PgRun& run, const std::string& conninfo, const std::string& schema);

// A worker's own connection in the run's snapshot, reading rows of `schema`
// (copy_rows_relative_to: object-identifier values print relative to it).
// `row_security`: read as the tables' policies allow (--enable-row-security)
// instead of refusing a table they apply to.
std::unique_ptr<Connection> connect_in_snapshot(const std::string& conninfo, const std::string& snapshot,
                                                const std::string& schema, const std::string& role = "source",
                                                bool row_security = false);

// connect_in_snapshot for a worker reading the run's source.
std::unique_ptr<Connection> connect_to_source_snapshot(const PgRun& run);

}  // namespace dbclone::pg
