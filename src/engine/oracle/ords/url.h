// The parts of an ORDS or object-storage URL, read by libcurl's own URL
// parser (curl_url), so that what dbclone checks is what curl will connect to.
#pragma once

#include <optional>
#include <string>

namespace dbclone::oracle {

struct UrlParts {
    std::string scheme;  // lower case
    std::string host;    // lower case; an IPv6 address in brackets, "[::1]"
    std::string port;    // empty unless the URL names one
    std::string path;    // "/" when the URL has none
};

// Empty for text that is not an absolute URL with a scheme libcurl knows
// and a host.
std::optional<UrlParts> parse_url(const std::string& url);

}  // namespace dbclone::oracle
