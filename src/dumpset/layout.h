// Where dump sets live in a store, and where their parts live inside one:
//   <retention>/<database>/schema/<schema>/<YYYYMMDDTHHMMSSZ>/manifest.json
//   <retention>/<database>/schema/<schema>/<YYYYMMDDTHHMMSSZ>/data/<key>/NNNNNN.copy.zst
// Database and schema names are percent-encoded so that any SQL name makes
// exactly one path component, while ordinary names ("public", "Mixed Case")
// stay readable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/store.h"

namespace dbclone::dumpset {

// Throws Error(usage) unless retention and timestamp are valid path
// components and database and schema are non-empty.
std::string dump_set_dir(const std::string& retention, const std::string& database, const std::string& schema,
                         const std::string& timestamp);

// "data/<table_key>/<index, 6 digits>.copy.zst", relative to the dump set.
std::string chunk_path(const std::string& table_key, std::uint64_t index);

// Keeps [A-Za-z0-9 _.$-], encodes every other byte as %XX; a name of only
// dots is encoded whole, so it never means "here" or "up".
std::string encode_path_component(const std::string& name);
std::string decode_path_component(const std::string& component);

// "YYYYMMDDTHHMMSSZ", the dump set timestamp, and its validity check.
std::string utc_timestamp_now();
bool is_dump_set_timestamp(const std::string& text);
// "YYYY-MM-DDTHH:MM:SSZ" for manifests.
std::string utc_iso8601_now();

// "a" + "b" → "a/b", without doubling a trailing '/' of a.
std::string join_path(const std::string& dir, const std::string& name);

}  // namespace dbclone::dumpset
