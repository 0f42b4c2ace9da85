// Crash-idempotent DDL. A statement commits on the target before the journal
// can record it; a process killed in between leaves an object the journal
// does not know. Every DDL action therefore journals its intent first, and a
// resumed run that finds the object already there counts it as done only when
// the target holds it with the definition the source gives (read back with
// the same catalog reader, so both sides print alike); anything else stops.
#pragma once

#include <string>
#include <vector>

#include "core/journal.h"
#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// Journal keys: "intent:<what>" is written before the action, the action's
// own done key after it.
std::string intent_key(const std::string& what);

// True when the load schema holds `entry` (same kind and name) with the same SQL.
bool entry_present_as_defined(PgRun& run, const DdlEntry& entry);

// Labels of the pre-data entries the load schema lacks or holds with another
// definition (empty: create-objects committed in an earlier process).
std::vector<std::string> pre_data_differences(PgRun& run);

}  // namespace dbclone::pg
