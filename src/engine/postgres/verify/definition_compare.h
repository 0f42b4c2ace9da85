// Definitions as PostgreSQL releases print them differ in form, not meaning:
// 14+ writes a procedure's IN mode that 13 leaves out, 16+ leaves out the
// table names that older releases put before a view's columns, 18 names a
// domain's NOT NULL constraint. Verify compares definitions in one form so
// that a copy between releases is judged by what it means.
#pragma once

#include <string>

#include "engine/postgres/catalog/catalog.h"

namespace dbclone::pg {

// The entry's SQL with those release-dependent forms removed. A qualifier that
// names `schema` (the copy's schema) is kept: a copy that reads another schema
// must still differ.
std::string comparable_definition(const DdlEntry& entry, const std::string& schema = "");

}  // namespace dbclone::pg
