// The engine contract. An engine turns a Request into a Plan of named steps;
// the steps do the work and put what they find (verification checks,
// warnings) into the RunResult. The pipeline runs any engine's plan the same
// way. A new engine is a folder src/engine/<name>/ implementing Engine plus
// one line in engine_factory.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan.h"
#include "engine/request.h"
#include "verify/report.h"

namespace dbclone {

struct RunResult {
    Report report;                      // verification checks, if the command verifies
    std::vector<std::string> warnings;  // things a person must look at
    std::vector<std::string> summary;   // lines printed at the end ("dump set: ...")
};

class Engine {
public:
    virtual ~Engine() = default;
    virtual std::string_view name() const = 0;
    // Builds the plan without changing anything anywhere. It may read (the
    // source catalog, a manifest) to make the plan exact.
    virtual Plan plan(const Request& request, RunResult& result) = 0;
};

std::unique_ptr<Engine> make_engine(std::string_view name);
std::vector<std::string> engine_names();

}  // namespace dbclone
