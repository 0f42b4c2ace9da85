// Row counts of every table of the source schema against the target schema,
// as "rows" checks of a Report (one per table). Shared by the post-import
// step (§6.1) and verification (§10).
#pragma once

#include "engine/oracle/oracle_run.h"
#include "engine/oracle/oracle_statements.h"
#include "verify/report.h"

namespace dbclone::oracle {

void compare_row_counts(OracleRun& run, Report& report);

// APEX_UTIL.CREATE_USER with the live signature (target_steps.cpp).
void create_apex_user_adaptively(OrdsClient& db, const std::string& workspace, const ApexUser& user);

}  // namespace dbclone::oracle
