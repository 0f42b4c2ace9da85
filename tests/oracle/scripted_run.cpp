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
    command_line_fields(r);
    return r;
}

void command_line_fields(Request& r) {
    auto take = [&r](const std::string& name) {
        auto it = r.engine_options.find(name);
        if (it == r.engine_options.end()) return std::string();
        std::string v = it->second;
        r.engine_options.erase(it);
        return v;
    };
    if (!take("prune").empty()) r.prune = true;
    if (!take("yes").empty()) r.prune_yes = true;
    if (!take("allow-permanent").empty()) r.allow_permanent = true;
    if (auto age = take("older-than"); !age.empty()) r.older_than = age;
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
