#include "cli/embedded_demo.h"

#include "core/error.h"

namespace dbclone {
int run_embedded_demo(const Invocation&) {
    throw Error(ErrorKind::unsupported, "the embedded default is not wired yet");
}
}  // namespace dbclone
