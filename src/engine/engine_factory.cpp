#include <functional>
#include <map>

#include "core/error.h"
#include "engine/engine.h"

// One line per engine. Each engine folder provides its make_* function.
namespace dbclone {

std::unique_ptr<Engine> make_postgres_engine();
std::unique_ptr<Engine> make_oracle_engine();

namespace {
const std::map<std::string, std::function<std::unique_ptr<Engine>()>, std::less<>>& registry() {
    static const std::map<std::string, std::function<std::unique_ptr<Engine>()>, std::less<>> engines = {
        {"postgres", make_postgres_engine},
        {"oracle", make_oracle_engine},
    };
    return engines;
}
}  // namespace

std::unique_ptr<Engine> make_engine(std::string_view name) {
    auto it = registry().find(name);
    if (it == registry().end())
        throw Error(ErrorKind::usage, "unknown engine '" + std::string(name) + "'",
                    "use one of: postgres, oracle");
    return it->second();
}

std::vector<std::string> engine_names() {
    std::vector<std::string> names;
    for (const auto& [name, _] : registry()) names.push_back(name);
    return names;
}

std::string_view command_name(Command command) {
    switch (command) {
        case Command::export_:
            return "export";
        case Command::import:
            return "import";
        case Command::clone:
            return "clone";
        case Command::refresh:
            return "refresh";
        case Command::verify:
            return "verify";
        case Command::doctor:
            return "doctor";
    }
    return "?";
}

}  // namespace dbclone
