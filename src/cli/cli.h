#pragma once

namespace dbclone {

// Parses the command line, runs the command, prints the result or the one
// error line, and returns the process exit code (docs/EXIT_CODES.md).
int cli_main(int argc, char** argv);

}  // namespace dbclone
