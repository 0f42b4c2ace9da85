#include "cli/cli.h"

int main(int argc, char** argv) {
    return dbclone::cli_main(argc, argv);
}
