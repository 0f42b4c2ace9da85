// What every test of the Oracle engine against the scripted ORDS servers
// starts from: runbook RB-005's request between a source and a target
// server, and running its plan quietly. Tests add or override options.
#pragma once

#include <map>
#include <string>

#include "core/journal.h"
#include "engine/engine.h"
#include "oracle/ords_test_server.h"
#include "verify/report.h"

namespace dbclone::oracle::test {

// `command` from WKSP_PROD on `source` to WKSP_URPREPROD on `target`, with
// the test bucket, source ADB ur-prod and no pause between polls; `options`
// are added to (or replace) those engine options.
Request runbook_request(Command command, const OrdsTestServer& source, const OrdsTestServer& target,
                        const std::map<std::string, std::string>& options = {});

// Moves the options the command line keeps in Request fields rather than in
// engine_options (dumps' --prune, --older-than, --yes, --allow-permanent)
// out of engine_options, so tests can name every option in one map.
void command_line_fields(Request& request);

// Plans `request` with the Oracle engine into `result` and runs the plan
// quietly against `journal`; throws what the run throws.
void run_oracle(const Request& request, RunResult& result, Journal& journal);

// The report line called `name`, or null when there is none.
const Check* find_check(const Report& report, const std::string& name);

}  // namespace dbclone::oracle::test
