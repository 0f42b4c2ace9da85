#include "core/machine.h"

#include <sched.h>

#include <thread>

namespace dbclone {

std::size_t cores_here() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::size_t n = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0) n = static_cast<std::size_t>(CPU_COUNT(&set));
    if (n == 0) n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

}  // namespace dbclone
