// What this machine gives the process: its cores.
#pragma once

#include <cstddef>

namespace dbclone {

// The cores this process may run on, as nproc counts them: the affinity
// mask, which containers and taskset narrow; at least 1.
std::size_t cores_here();

}  // namespace dbclone
