// The command line as data: what to run, and how to report it. Parsing only;
// running is run_invocation.h.
#pragma once

#include <optional>
#include <string>

#include "engine/request.h"

namespace dbclone {

enum class Verbosity { quiet, normal, verbose };

struct Invocation {
    Request request;
    std::string engine;      // empty: chosen from the connection strings
    bool plan_only = false;  // `dbclone plan <command>`
    bool json = false;
    bool embedded = false;  // `dbclone clone` with no databases: the embedded demo
    bool keep_embedded = false;
    Verbosity verbosity = Verbosity::normal;
    std::optional<int> exit_now;  // --help / --version were printed
};

// Throws Error(usage) with CLI11's message on bad input.
Invocation parse_command_line(int argc, char** argv);

}  // namespace dbclone
