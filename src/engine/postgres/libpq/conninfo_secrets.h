// Secrets inside a libpq connection string. A URI whose password holds an
// '@' that is not percent-encoded ("postgresql://u:p@ss@host/db") is read by
// libpq as password "p" and host "ss@host": the rest of the password would
// appear in "could not translate host name" messages.
#pragma once

#include <string>
#include <vector>

namespace dbclone {

// The passwords of a URI or keyword string (as libpq reads them), plus every
// piece of a URI's user info after a first '@' that was not percent-encoded.
std::vector<std::string> postgres_connection_secrets(const std::string& connection);

// True for a URI whose user info holds more than one '@'.
bool has_unencoded_at_in_userinfo(const std::string& connection);

}  // namespace dbclone
