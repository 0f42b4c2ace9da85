#include <functional>
#include <map>

#include "core/error.h"
#include "engine/engine.h"

// One line per engine. Each engine folder provides its make_* function and,
// where it has them, its command-line options and connection-string secrets.
namespace dbclone {

std::unique_ptr<Engine> make_postgres_engine();
std::vector<std::string> postgres_connection_secrets(const std::string& connection);
void add_postgres_cli_options(CLI::App& command, Command kind, Request& request);
std::unique_ptr<Engine> make_oracle_engine();
void add_oracle_cli_options(CLI::App& command, Command kind, Request& request);

namespace {

struct EngineEntry {
    std::function<std::unique_ptr<Engine>()> make;
    std::function<void(CLI::App&, Command, Request&)> add_options;        // may be empty
    std::function<std::vector<std::string>(const std::string&)> secrets;  // may be empty
};

const std::map<std::string, EngineEntry, std::less<>>& registry() {
    static const std::map<std::string, EngineEntry, std::less<>> engines = {
        {"postgres", {make_postgres_engine, add_postgres_cli_options, postgres_connection_secrets}},
        {"oracle", {make_oracle_engine, add_oracle_cli_options, nullptr}},
    };
    return engines;
}

}  // namespace

std::unique_ptr<Engine> make_engine(std::string_view name) {
    auto it = registry().find(name);
    if (it == registry().end())
        throw Error(ErrorKind::usage, "unknown engine '" + std::string(name) + "'",
                    "use one of: postgres, oracle");
    return it->second.make();
}

std::vector<std::string> engine_names() {
    std::vector<std::string> names;
    for (const auto& [name, _] : registry()) names.push_back(name);
    return names;
}

void add_engine_options(CLI::App& command, Command kind, Request& request) {
    for (const auto& [name, entry] : registry())
        if (entry.add_options) entry.add_options(command, kind, request);
}

std::vector<std::string> connection_secrets(const std::string& connection) {
    std::vector<std::string> secrets;
    for (const auto& [name, entry] : registry())
        if (entry.secrets)
            for (auto& s : entry.secrets(connection)) secrets.push_back(std::move(s));
    return secrets;
}

}  // namespace dbclone
