// Finding dump sets in a store: every complete one (it has manifest.json) of a
// schema, under one retention or under all of them, and the newest one an
// import without --dump should read. Engines never walk the layout themselves.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace dbclone::dumpset {

struct FoundDumpSet {
    std::string dir;  // "<retention>/<database>/schema/<schema>/<timestamp>"
    std::string retention;
    std::string database;   // decoded
    std::string timestamp;  // YYYYMMDDTHHMMSSZ
};

class Finder {
public:
    // Searches every retention prefix ("temp", "daily", "30d", ...).
    static constexpr const char* kAnyRetention = "";

    explicit Finder(Store& store) : store_(store) {}

    // Complete dump sets of `schema`, oldest first (ties: by directory).
    // Incomplete ones, stray files and other schemas do not count.
    std::vector<FoundDumpSet> complete_sets(const std::string& schema,
                                            const std::string& retention = kAnyRetention) const;

    // The newest complete dump set of schema in database, or nothing.
    std::optional<std::string> newest(const std::string& retention, const std::string& database,
                                      const std::string& schema) const;

    // The dump set an import without --dump reads: the newest complete one of
    // the schema, whatever database it came from. None is Error(not_found);
    // sets from several databases is Error(usage) naming them (choose with
    // --dump).
    std::string newest_for_import(const std::string& schema, const std::string& retention) const;

private:
    Store& store_;
};

}  // namespace dbclone::dumpset
