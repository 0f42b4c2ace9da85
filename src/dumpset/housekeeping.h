// Housekeeping of dump sets (`dbclone dumps`): listing them and pruning old
// ones, with one set of rules for every engine. The rules (which options go
// together, that permanent/ is kept unless allowed, how old a set is, what is
// due) are here; the PostgreSQL engine lists and deletes with the Store
// below, the Oracle engine lists and deletes through DBMS_CLOUD in its
// bucket (its objects are not reachable as a Store), by the same rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"

namespace dbclone::dumpset {

// --prune --older-than AGE [--retention R] [--yes] [--allow-permanent].
struct PruneRule {
    std::string retention = "temp";  // the one retention pruned
    long older_than_hours = 0;
    bool yes = false;  // delete; without it a dry run
};

// "7d" / "36h" as hours; Error(usage) for anything else.
long parse_age_hours(const std::string& text);

// The rule of a `dumps` command, checked: --prune needs --older-than;
// --older-than, --yes and --allow-permanent go with --prune; a retention that
// was not named is temp; permanent only with --allow-permanent. Error(usage)
// otherwise. `retention` empty: not named.
PruneRule prune_rule(bool prune, const std::string& older_than, bool yes, bool allow_permanent,
                     const std::string& retention);

// Whole hours from a set's timestamp to now (both YYYYMMDDTHHMMSS, with or
// without the trailing Z of the file store's layout).
long age_hours(const std::string& timestamp, const std::string& now_utc);
// Whether a set under `retention` with that timestamp is due under `rule`.
bool due(const PruneRule& rule, const std::string& retention, const std::string& timestamp,
         const std::string& now_utc);

// How report lines say a set's size and age ("3.0 MiB", "9d 2h old").
std::string size_text(std::uint64_t bytes);
std::string age_text(long hours);

// One dump set in a store as `dumps` lists it.
struct ListedSet {
    std::string dir;  // <retention>/<database>/schema/<schema>/<timestamp>, as stored
    std::string retention, database, schema, timestamp;  // decoded
    std::size_t files = 0;
    std::uint64_t bytes = 0;
    // manifest.json present: the export finished. Without it the set is
    // being written or was left by an export that --resume continues: it is
    // listed, never pruned.
    bool complete = false;
};

// Every dump set in the store, of `schema` and under `retention` when they
// are not empty, oldest first. Objects outside the layout are left out.
std::vector<ListedSet> list_sets(Store& store, const std::string& schema, const std::string& retention);

// Deletes a complete dump set: manifest.json first (from then on no import
// takes it, and a set deleted half-way is listed as incomplete), then every
// other object, then its emptied folders. Error(not_found) when its manifest
// is gone meanwhile (it is then not deleted). Returns the objects removed.
std::size_t delete_set(Store& store, const ListedSet& set);

}  // namespace dbclone::dumpset
