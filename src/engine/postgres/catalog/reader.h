// Reads one schema's catalog into a SchemaCatalog (pg_dump's getTables,
// getIndexes, ... phase), then orders it (ddl_order.h). Must run on a
// connection whose transaction holds the snapshot the data is read in, so
// DDL, rows and sequence values describe the same moment.
#pragma once

#include <string>

#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// Error(not_found) when the schema does not exist.
SchemaCatalog read_schema_catalog(Connection& conn, const std::string& schema);

bool schema_exists(Connection& conn, const std::string& schema);

}  // namespace dbclone::pg
