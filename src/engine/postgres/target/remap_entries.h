// Applying the schema rename to the catalog's DDL (remap/remap.h): entries
// are created in the load schema (a staging schema renamed at the end), so
// they are rewritten to its name; definitions the server stores by reference
// (views, defaults, checks, standard-SQL bodies) follow the rename, while
// those stored as text (function bodies, SET search_path) are rewritten again
// to the final name once the schema has it.
#pragma once

#include <string>
#include <vector>

#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// The entry's SQL with the source schema's name rewritten to `to`.
std::string remapped_sql(const PgRun& run, const DdlEntry& entry, const std::string& to);
// The same for another statement of an entry (DdlEntry::key_index_sql, ...).
std::string remapped_sql(const PgRun& run, const std::string& sql, const std::string& to);

// Within the transaction that renamed the load schema to `final_name`:
// recreates (CREATE OR REPLACE) the functions and procedures whose text
// named the load schema, also when the final name is the source's own.
void rewrite_text_bodies(PgRun& run, const std::string& final_name);

// One line per rewrite a remap to `target_schema` makes, for the report,
// and warnings for bodies left alone (other languages, --no-rewrite-bodies).
std::vector<std::string> remap_report(const SchemaCatalog& catalog, const std::string& target_schema,
                                      bool rewrite_bodies, std::vector<std::string>& warnings);

}  // namespace dbclone::pg
