// Orders catalog entries for creation (pg_dump_sort.c's job): pre-data
// entries by a stable topological sort over their dependencies, ties broken
// by kind (types, sequences, functions, tables, aggregates, views,
// materialized views) then name; post-data entries by group (constraints
// before indexes before foreign keys before triggers ...), then name.
// A dependency cycle is broken at the lowest-priority entry and reported in
// the catalog's warnings.
#pragma once

#include "engine/postgres/catalog/catalog.h"

namespace dbclone::pg {

void order_entries(SchemaCatalog& catalog);

}  // namespace dbclone::pg
