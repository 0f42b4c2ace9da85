// A table loaded in several parts (chunks or block ranges), each committed in
// its own transaction and journaled after its COMMIT: a crash between the two
// leaves rows the journal does not know, and loading that part again on
// resume would add them twice. Before the remaining parts load, the table's
// row count is compared with the parts the journal records; when they differ
// the table is emptied and every part is forgotten, so the resumed run loads
// all of them again (the table is new to this run, nothing else is lost).
#pragma once

#include <cstddef>
#include <string>

#include "core/journal.h"
#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// `qualified` is the table's quoted name; `table_key` its journal key; parts
// are journaled as "part:<key>:<i>" (data/table_jobs.h). Returns true when
// the table was emptied and its parts forgotten.
bool forget_unjournaled_parts(Connection& target, Journal& journal, const std::string& qualified,
                              const std::string& table_key, std::size_t parts);

}  // namespace dbclone::pg
