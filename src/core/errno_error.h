// Errors from system calls: "cannot write chunk /x/y: No space left on device".
#pragma once

#include <string>

#include "core/error.h"

namespace dbclone {

// Builds an io Error from the current errno; call right after the failing call.
Error errno_error(const std::string& what, const std::string& object);

}  // namespace dbclone
