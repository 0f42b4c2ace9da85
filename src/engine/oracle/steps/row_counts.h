// Row counts per table as "rows" checks of a Report. The counts of record are
// the dump's own (the ". . exported" lines of the export log, journaled as
// export.rows) and what the import loaded (import.rows): they need no
// COUNT(*) on a big schema and cannot time out. Live counting remains for a
// standalone verify and says so in its evidence; its failure is reported,
// never thrown.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/journal.h"
#include "engine/oracle/oracle_run.h"
#include "engine/oracle/oracle_statements.h"
#include "verify/report.h"

namespace dbclone::oracle {

using TableCounts = std::map<std::string, std::int64_t>;

std::optional<TableCounts> journaled_counts(const Journal& journal, const std::string& key);

// Live COUNT(*) of every table of `schema` (recycle bin and external tables
// left out); nullopt, with a warn check naming the error, when it fails.
std::optional<TableCounts> live_counts(OrdsClient& db, const std::string& schema, const std::string& side,
                                       Report& report);

// One check per table: `expected` (named `expected_what`) against `actual`;
// a difference gets `on_difference`.
void compare_counts(Report& report, const TableCounts& expected, const std::string& expected_what,
                    const TableCounts& actual, const std::string& actual_what, CheckStatus on_difference);

// The verification's row-count checks (see verify_steps.cpp).
void verify_row_counts(OracleRun& run, const Journal& journal, Report& report);

// APEX_UTIL.CREATE_USER with the live signature (target_steps.cpp).
void create_apex_user_adaptively(OrdsClient& db, const std::string& workspace, const ApexUser& user);

}  // namespace dbclone::oracle
