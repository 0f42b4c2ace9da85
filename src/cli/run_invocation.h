// Runs a parsed command: engine → plan → (print it, or) journal + pipeline
// → result on stdout. Errors propagate to cli_main, the one place that
// prints them.
#pragma once

#include "cli/command_line.h"

namespace dbclone {

// Returns the exit code of a run that did not throw (0, or verify_mismatch).
int run_invocation(const Invocation& invocation);

// The engine a request is for: --engine, else oracle for https:// ORDS URLs.
std::string choose_engine(const Invocation& invocation);

}  // namespace dbclone
