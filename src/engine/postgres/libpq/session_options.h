// Session settings the command line chooses for every connection of the run
// (set once, before the first connection opens).
#pragma once

#include <string>

namespace dbclone::pg {

// --lock-wait-timeout: "30s", "500ms" ... ("" = the session default of
// kSessionSettings, lock_timeout = 0: wait as long as it takes, Ctrl-C stops it).
void set_lock_wait_timeout(const std::string& duration);
// The chosen value as an SQL literal ("'30s'"), or "" when none was chosen.
std::string lock_timeout_value();

}  // namespace dbclone::pg
