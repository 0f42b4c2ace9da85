// One HTTPS POST over libcurl: the only transport the Oracle engine has. TLS
// peer and host verification stay on unless the user asked for
// --insecure-tls. Plain http:// is refused except for loopback hosts, which
// is what the local ORDS test server uses.
#pragma once

#include <string>
#include <vector>

namespace dbclone::oracle {

struct HttpOptions {
    long timeout_seconds = 300;  // whole request; ORDS on ADB has no documented limit
    long connect_timeout_seconds = 30;
    bool insecure_tls = false;
};

struct HttpRequest {
    std::string url;
    std::string content_type;
    std::string body;
    std::string authorization;  // full header value: "Basic ..." or "Bearer ..."
};

struct HttpResponse {
    long status = 0;
    std::string body;
};

// Throws Error(connection) for transport failures (DNS, TLS, refused,
// timeout) and Error(usage) for a URL that is neither https nor loopback http.
HttpResponse https_post(const HttpRequest& request, const HttpOptions& options);

// Checks the scheme rule above without sending anything.
void check_url_scheme(const std::string& url);

std::string base64(const std::string& text);

}  // namespace dbclone::oracle
