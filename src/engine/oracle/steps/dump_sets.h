// The dump sets in the bucket, as the export writes them:
//   <bucket URI><retention>/<adb>/schema/<schema>/<YYYYMMDDTHHMMSS>/
// holding dump_NN.dmp, export.log (shipped once the export ended) and the
// logs of the imports that read it. Listed with DBMS_CLOUD.LIST_OBJECTS on a
// database whose credential reads the bucket; `import` picks one, `dumps`
// lists them or prunes old ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/oracle/oracle_options.h"
#include "engine/oracle/ords/ords_client.h"

namespace dbclone::oracle {

struct DumpSet {
    std::string retention, adb, schema, timestamp;  // as in the path (schema lower case)
    std::vector<std::string> files;                 // names inside the set
    std::int64_t bytes = 0;
    bool has_export_log = false;  // export.log is shipped when the export has ended

    std::string prefix() const;  // "<retention>/<adb>/schema/<schema>/<timestamp>/"
};

// One listed object name as a dump set and the file name inside it; none for
// an object outside the layout. The name may carry a leading path before the
// layout (LIST_OBJECTS' names relative to the bucket or to the URI given).
struct DumpObject {
    DumpSet set;  // key fields only
    std::string file;
};
std::optional<DumpObject> parse_dump_object(const std::string& object_name);

// Groups listed objects into dump sets, ordered by timestamp then prefix.
std::vector<DumpSet> group_dump_sets(const std::vector<std::pair<std::string, std::int64_t>>& objects);

// The dump sets under o.bucket_uri, narrowed by o's schema (when named),
// --source-adb (when given) and --retention (when given).
std::vector<DumpSet> list_dump_sets(OrdsClient& db, const OracleOptions& o);
Statement list_objects(const OracleOptions& o);
Statement delete_object(const OracleOptions& o, const std::string& object_uri);

// The set `import` reads: --dump (timestamp or prefix), else the newest with
// an export.log. Error(not_found) when there is none; Error(usage) when
// several databases or retentions offer it and nothing chose one.
DumpSet choose_dump_set(const std::vector<DumpSet>& sets, const OracleOptions& o);

// The APEX export an export run with --app left next to the dump set
// `schema_prefix`: "<retention>/<adb>/apex/<app>/<timestamp>/".
std::string apex_prefix_of(const std::string& schema_prefix, long app);
Statement list_apex_files(const OracleOptions& o, const std::string& apex_prefix);
// The file names of that export, relative to its prefix, in name order;
// empty when there is none.
std::vector<std::string> apex_files(OrdsClient& db, const OracleOptions& o, const std::string& apex_prefix);

// A bucket object's text (fetch_object.sql, read back in pieces).
Statement fetch_object(const OracleOptions& o, const std::string& uri);
std::string object_text(OrdsClient& db, const OracleOptions& o, const std::string& uri);

}  // namespace dbclone::oracle
