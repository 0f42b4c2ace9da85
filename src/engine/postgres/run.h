// State shared by the steps of one PostgreSQL run. plan() fills what it
// needs to print an exact plan (the source catalog in its snapshot, the
// target's state); the steps use and extend it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/row_checksum.h"
#include "engine/engine.h"
#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/libpq/connection.h"
#include "engine/postgres/pg_options.h"
#include "engine/postgres/refresh/load_guard.h"

namespace dbclone::pg {

struct TableCopyResult {
    std::uint64_t rows = 0;
    std::string checksum;
};

struct PgRun {
    PgRun(Request r, RunResult& res)
        : request(std::move(r)), result(res), options(parse_pg_options(request)) {}

    Request request;
    RunResult& result;
    PgOptions options;  // the engine's own flags (pg_options.h)

    std::unique_ptr<Connection> source;  // holds the snapshot transaction open
    std::string snapshot;                // pg_export_snapshot() id
    // The snapshot's xmin as a 32-bit xid (text): every transaction older
    // than it had ended when the snapshot was taken (data/kept_parts.h).
    std::string snapshot_xmin;
    SchemaCatalog catalog;
    std::string source_version;
    std::string source_database;
    // Tables read under their row-level security policies (--enable-row-security):
    // the source sessions run with row_security = on and rows may be missing.
    std::vector<std::string> source_row_security;

    std::unique_ptr<Connection> target;
    std::unique_ptr<Connection> lock_holder;  // behind a pooler: holds the run's lock in an open transaction
    std::string load_schema;  // where objects are created: staging or, with --table-exists-action, the target
    bool into_existing = false;             // the target schema exists and an action was given
    std::set<std::string> existing_tables;  // catalog tables already in the target schema (into_existing)
    // Constraints and triggers a load into existing tables changes and puts back (refresh/load_guard.h).
    LoadGuard guard;
    // --resume found the target schema and no staging schema: an earlier
    // process may have renamed it into place just before it died. Only the
    // journal's finalize intent can tell (target/reconcile.h).
    bool maybe_finalized = false;

    // Checked at plan time (target/roles.h, target/extensions.h), created by prepare-target.
    std::vector<std::string> roles_to_create;
    std::vector<ExtensionUse> extensions_to_create;

    std::mutex mutex;
    std::map<std::string, TableCopyResult> copied;  // table key -> what the source side gave
    // Table name -> what the target holds, read back by the worker that
    // loaded it once its rows were committed (staging loads): verification
    // uses it instead of reading the table again. Not journaled: a resumed
    // run reads the tables an earlier process loaded.
    std::map<std::string, TableCopyResult> landed;
    // Tables analyzed by the worker that loaded them; the analyze step skips them.
    std::set<std::string> analyzed;
    // Tables loaded, keyed and analyzed during the copy: a
    // foreign key between two of them is added then (add_ready_foreign_keys),
    // by the worker that finished the second, not in post-data.
    std::set<std::string> keyed_tables;
    std::set<std::string> foreign_keys_claimed;  // entry names a worker took on
    // One foreign key at a time: each locks both its tables, and two taking
    // them in opposite orders would deadlock.
    std::mutex foreign_key_mutex;
};

}  // namespace dbclone::pg
