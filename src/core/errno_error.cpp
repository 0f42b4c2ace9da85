#include "core/errno_error.h"

#include <cerrno>
#include <cstring>

namespace dbclone {

Error errno_error(const std::string& what, const std::string& object) {
    int saved = errno;
    std::string hint;
    if (saved == ENOSPC || saved == EDQUOT || saved == EFBIG)
        hint = "free space on that file system (or raise the limit), then resume the run with --resume";
    if (saved == EACCES || saved == EPERM) hint = "check the permissions of that path";
    return Error(ErrorKind::io, what + " " + object + ": " + std::strerror(saved), hint);
}

}  // namespace dbclone
