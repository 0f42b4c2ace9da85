// Engine-specific command-line flags. Each engine adds its own flags to a
// command here; their values land in Request::engine_options under the flag's
// long name (without dashes), and the engine validates them.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/request.h"

namespace dbclone {

void add_engine_flags(CLI::App& command, Command kind, Request& request);

}  // namespace dbclone
