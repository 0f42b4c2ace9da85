#include "cli/cli.h"

#include <cstdio>

namespace dbclone {
int cli_main(int, char**) {
    std::puts("dbclone: command line not wired yet");
    return 0;
}
}  // namespace dbclone
