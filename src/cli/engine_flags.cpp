#include "cli/engine_flags.h"

namespace dbclone {

void add_engine_flags(CLI::App& command, Command kind, Request& request) {
    (void)command;
    (void)kind;
    (void)request;
}

}  // namespace dbclone
