// `dbclone clone` with no databases: two throwaway local PostgreSQL servers,
// the demo schema loaded into the first and cloned into the second under a
// new name, verified, reported. What a newcomer runs first.
#pragma once

#include "cli/command_line.h"

namespace dbclone {

int run_embedded_demo(const Invocation& invocation);

}  // namespace dbclone
