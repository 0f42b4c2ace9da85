// What a resumed clone or export must settle about its source before it goes
// on. The source is read again, in a new snapshot, by every attempt:
//  - its structure may have changed in between (a table added, dropped or
//    altered): the journal keeps the catalog's fingerprint from the first
//    attempt, and a resume against another one is refused (Error
//    source_changed) unless --allow-changed-source, which redoes what changed;
//  - tables finished by an earlier attempt were read in that attempt's
//    snapshot: keeping them mixes two snapshots. By default they are read
//    again in this one; --allow-mixed-snapshot keeps them and says so (a
//    warning, a report line, the dump set's manifest).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/journal.h"
#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// {"catalog": <hex>, "tables": {<key>: <hex>}}: structure only (DDL entries,
// copied columns), never sizes or sequence values, which change with use.
nlohmann::json source_fingerprint(const SchemaCatalog& catalog);

// Journal key: set (true) once a run keeps tables from an earlier snapshot.
inline constexpr const char* kMixedSnapshotKey = "mixed-snapshot";

// Called at the start of every attempt (the step that opened the snapshot).
// `data_step` is the id of the step that reads the rows ("copy-data",
// "export-data"); `redo_structure` undoes what an earlier attempt built
// from an older catalog (clone: its staging schema; export: ddl.json).
void settle_resumed_source(PgRun& run, Journal& journal, const std::string& data_step,
                           const std::function<void()>& redo_structure);

// When the journal says the run keeps rows of an earlier snapshot: a
// warning and a report line (once per attempt).
void note_mixed_snapshot(PgRun& run, const Journal& journal);

}  // namespace dbclone::pg
