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

namespace CLI {
class App;
}

namespace dbclone {

struct RunResult {
    Report report;                      // verification checks, if the command verifies
    std::vector<std::string> warnings;  // things a person must look at
    std::vector<std::string> summary;   // lines printed at the end ("dump set: ...")
    // The dump set an import chose itself (no --dump): journaled, so a
    // resumed run loads the same one.
    std::string pinned_dump;
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

// What the command line knows of engines, all through the registry
// (engine_factory.cpp), so the CLI includes no engine's headers:
// every engine's own options for one command (each engine in its own help
// group; values land in Request::engine_options under the long name, and the
// engine checks them again when it plans) ...
void add_engine_options(CLI::App& command, Command kind, Request& request);
// ... and the secrets (passwords) inside a connection string, as whichever
// engines understand it read them, so they are masked and wiped from argv.
std::vector<std::string> connection_secrets(const std::string& connection);

}  // namespace dbclone
