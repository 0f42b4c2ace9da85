// What a Data Pump log says, read whole: the verdict of its last line, every
// ORA-/KUP- line, and the rows per table of its ". . exported/imported" lines
// (the dump's own counts, so no COUNT(*) has to run on a big schema).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dbclone::oracle {

struct DatapumpLog {
    bool success = false;      // last line "... successfully completed at ..."
    bool with_errors = false;  // "... completed with N error(s) at ..."
    std::string last_line;
    std::vector<std::string> errors;           // ORA-/PLS-/KUP- lines
    std::map<std::string, std::int64_t> rows;  // table -> rows, partitions summed
};

DatapumpLog parse_datapump_log(const std::string& text);

// The error lines of an import log that are not expected. Expected: the
// target user already existing (ORA-31684 for USER:"<target schema>"), which a
// --reuse-user clone meets, and ORA-39082 (created with compilation
// warnings; the compile step recompiles). Anything else, such as ORA-31684
// for a table (old rows kept) or ORA-39151 (table skipped), is unexpected.
std::vector<std::string> unexpected_import_errors(const DatapumpLog& log, const std::string& target_schema);

// The versions an export recorded in its own log (DBMS_DATAPUMP.LOG_ENTRY,
// export_schema.sql), so that an import of the dump, which reads no source
// database, can check them against its target: the dump's Data Pump version
// (what the target's COMPATIBLE must reach), the source database's release
// and COMPATIBLE, and its APEX release (what an APEX export of the same run
// came from).
struct DumpVersions {
    std::string dump_version, source_version, source_compatible, source_apex;
};
// The one line the export writes: "dbclone: dump version 19.0.0; source
// database 23.4.0.24.05, COMPATIBLE 23.0.0, APEX 24.1.0".
std::string dump_versions_note(const DumpVersions& versions);
// That line read back from a whole log; none in a log without it (an export
// made before dbclone recorded it, or not by dbclone).
std::optional<DumpVersions> parse_dump_versions(const std::string& log_text);

}  // namespace dbclone::oracle
