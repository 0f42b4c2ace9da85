#include "oracle/scripted_run.h"

#include "core/pipeline.h"
#include "core/progress.h"
#include "oracle/adb_scripts.h"

namespace dbclone::oracle::test {

Request runbook_request(Command command, const OrdsTestServer& source, const OrdsTestServer& target,
                        const std::map<std::string, std::string>& options) {
    Request r;
    r.command = command;
    r.source = source.base_url();
    r.target = target.base_url();
    r.source_schema = "WKSP_PROD";
    r.target_schema = "WKSP_URPREPROD";
    r.engine_options = {{"bucket-uri", kBucket}, {"source-adb", "ur-prod"}, {"poll-ms", "0"}};
    for (const auto& [name, value] : options) r.engine_options[name] = value;
    return r;
}

void run_oracle(const Request& request, RunResult& result, Journal& journal) {
    Plan plan = make_engine("oracle")->plan(request, result);
    Progress progress(Progress::Style::quiet);
    run_plan(plan, journal, progress);
}

const Check* find_check(const Report& report, const std::string& name) {
    for (const auto& c : report.checks())
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace dbclone::oracle::test
