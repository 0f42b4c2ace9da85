// The Oracle Autonomous Database engine: runbook RB-005 as a plan of steps
// run over ORDS REST-Enabled SQL. Layout: ords/ (REST client), steps/ (runbook
// step groups), commands/ (one plan per command), plsql/ (templates). plan()
// only parses options and builds the steps (no network, so `dbclone plan`
// works offline); the steps connect.
#include "core/error.h"
#include "engine/engine.h"
#include "engine/oracle/commands/commands.h"

namespace dbclone {

namespace oracle {
namespace {

class OracleEngine final : public Engine {
public:
    std::string_view name() const override { return "oracle"; }

    Plan plan(const Request& request, RunResult& result) override {
        auto run = std::make_shared<OracleRun>(parse_options(request), result);
        switch (request.command) {
            case Command::clone:
                return clone_plan(run);
            case Command::refresh:
                return refresh_plan(run);
            case Command::export_:
                return export_plan(run);
            case Command::verify:
                return verify_plan(run);
            case Command::doctor:
                return doctor_plan(run);
            case Command::import:
                return import_plan(run);
            case Command::dumps:
                return dumps_plan(run);
        }
        throw Error(ErrorKind::internal, "unknown command");
    }
};

}  // namespace
}  // namespace oracle

std::unique_ptr<Engine> make_oracle_engine() {
    return std::make_unique<oracle::OracleEngine>();
}

}  // namespace dbclone
