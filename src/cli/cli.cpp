#include "cli/cli.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>

#include "cli/command_line.h"
#include "cli/embedded_demo.h"
#include "cli/run_invocation.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/redact.h"
#include "engine/engine.h"

namespace dbclone {

namespace {

// Passwords typed into a connection string are remembered as secrets (so a
// server message echoing them is masked too) and wiped from argv, which
// shortens the time they can be read from the process list.
void protect_connection_secrets(int argc, char** argv, const Request& request) {
    for (const auto* connection : {&request.source, &request.target})
        for (const auto& secret : connection_secrets(*connection)) register_secret(secret);
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (redact(arg) != arg) std::memset(argv[i], 'x', arg.size());
    }
}

void print_error(const Error& e) {
    std::fprintf(stderr, "dbclone: error: %s\n", redact(e.one_line()).c_str());
    if (!e.hint().empty()) std::fprintf(stderr, "HINT: %s\n", redact(e.hint()).c_str());
}

}  // namespace

int cli_main(int argc, char** argv) {
    install_interrupt_handlers();
    arm_faults();
    try {
        Invocation inv = parse_command_line(argc, argv);
        if (inv.exit_now) return *inv.exit_now;
        protect_connection_secrets(argc, argv, inv.request);
        log::set_level(inv.verbosity == Verbosity::verbose ? log::Level::debug
                       : inv.verbosity == Verbosity::quiet ? log::Level::warn
                                                           : log::Level::info);
        if (inv.embedded) return run_embedded_demo(inv);
        return run_invocation(inv);
    } catch (const Error& e) {
        print_error(e);
        return exit_code(e.kind());
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "dbclone: error: out of memory\n");
        return exit_code(ErrorKind::internal);
    } catch (const std::exception& e) {
        print_error(Error(ErrorKind::internal, e.what(), "this is a bug in dbclone; please report it"));
        return exit_code(ErrorKind::internal);
    }
}

}  // namespace dbclone
