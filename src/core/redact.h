// Secrets must never reach logs, artefacts or error messages. Every string
// that may carry a connection string or server text goes through redact().
#pragma once

#include <string>
#include <string_view>

namespace dbclone {

// Masks password=..., URI user:password@, Authorization headers and values
// registered with register_secret().
std::string redact(std::string_view text);

// Remember a secret value (a password read from a file, an auth token) so that
// redact() masks it wherever it appears, even inside a server's error text.
void register_secret(std::string value);

}  // namespace dbclone
