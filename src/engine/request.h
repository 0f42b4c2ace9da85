// What the user asked for, engine-neutral. The CLI fills it; an engine turns
// it into a Plan. Engine-specific flags travel in `engine_options` (the engine
// validates them), so adding an engine does not change this struct.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

namespace dbclone {

// dumps: list the dump sets in a store, or prune old ones (Oracle: the bucket).
enum class Command { export_, import, clone, refresh, verify, doctor, dumps };

std::string_view command_name(Command command);

// Data Pump's TABLE_EXISTS_ACTION meanings; `none` = an existing non-empty
// target schema is an error.
enum class TableExistsAction { none, skip, append, truncate, replace };
enum class SequencesMode { keep, sync };

struct Request {
    Command command = Command::clone;
    std::string source;  // connection: libpq URI/keywords, or an engine URL
    std::string target;
    std::string source_schema;
    std::string target_schema;  // == source_schema when no remap was given

    std::string store_url;  // export/import: where dump sets live
    std::string dump_path;  // import: dump set inside the store (empty: newest)
    std::string retention = "temp";
    // import without --retention: the newest dump set under any retention
    // (an export with --retention 30d is found without repeating it).
    bool any_retention = false;

    std::size_t jobs = 4;     // the command line's default: cores, at least 4 (cli/command_line.cpp)
    bool jobs_given = false;  // --jobs was on the command line (Oracle: Data Pump PARALLEL follows it)
    std::size_t chunk_bytes = 64u << 20;  // uncompressed COPY bytes per chunk
    TableExistsAction table_exists = TableExistsAction::none;
    SequencesMode sequences = SequencesMode::sync;
    bool resume = false;
    // A resumed clone/export may keep tables an earlier attempt read in
    // another snapshot (default: redo them in this run's one snapshot).
    bool allow_mixed_snapshot = false;
    // A resume may go on although the source schema changed since the run
    // started (default: refused); what changed is redone.
    bool allow_changed_source = false;
    // import: every chunk's sha256 and rows are checked before the target is
    // touched (a second read of the dump set); --check-chunks-while-loading
    // reads each chunk once and checks it as it loads instead.
    bool check_chunks_before_load = true;
    bool verify_after = true;
    // --no-rewrite-bodies: function bodies keep the source schema's name (remap/remap.h)
    bool rewrite_bodies = true;
    bool dry_run = false;
    std::filesystem::path work_dir;  // journals of runs that can resume
    // export --sign-key / import --verify-key: Ed25519 PEM key files (dumpset/signature.h).
    std::string sign_key, verify_key;
    // --table-exists-action replace: also drop what other schemas build on the
    // replaced tables (views, foreign keys); without it such dependents stop the run.
    bool drop_dependents = false;
    // --lock-wait-timeout: lock_timeout of every session ("" = the server's setting).
    std::string lock_wait_timeout;

    // dumps: --prune (needs --older-than AGE, "7d" / "36h"), --yes deletes
    // (else a dry run), --allow-permanent lets --retention permanent be
    // pruned. The same for every engine (dumpset/housekeeping.h).
    bool prune = false;
    bool prune_yes = false;
    bool allow_permanent = false;
    std::string older_than;

    std::map<std::string, std::string> engine_options;
};

}  // namespace dbclone
