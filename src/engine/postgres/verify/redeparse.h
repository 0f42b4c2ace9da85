// Semantic comparison of definitions: PostgreSQL does not print back the
// text it was given (`= ANY (ARRAY[...]::text[])` comes back as
// `= ANY ((ARRAY[...])::text[])`, view column aliases move), and a second
// round trip can drift again. So when a copy's definition differs from the
// source's as text, the source's definition is created once more on the
// target server -- in a throwaway schema, in a transaction that is rolled
// back -- and deparsed there: equal to the copy's means the same object.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// label -> definition the target server prints for it; entries it could not
// create (or kinds it does not re-deparse) are absent.
using Redeparse = std::function<std::map<std::string, std::string>(const std::vector<DdlEntry>&)>;

// Re-deparses pre-data entries (already remapped to `schema`) with `conn`,
// whose objects they may reference. Nothing stays behind on the server.
std::map<std::string, std::string> redeparse_on_server(Connection& conn, const std::string& schema,
                                                       const std::vector<DdlEntry>& entries);

}  // namespace dbclone::pg
