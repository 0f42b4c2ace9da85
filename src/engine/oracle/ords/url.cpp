#include "engine/oracle/ords/url.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>

namespace dbclone::oracle {

namespace {

struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// One part of a parsed URL; empty where the URL has none.
std::string part(CURLU* url, CURLUPart which) {
    char* value = nullptr;
    if (curl_url_get(url, which, &value, 0) != CURLUE_OK || value == nullptr) return {};
    std::string out(value);
    curl_free(value);
    return out;
}

}  // namespace

std::optional<UrlParts> parse_url(const std::string& url) {
    std::unique_ptr<CURLU, UrlDeleter> handle(curl_url());
    if (!handle) return std::nullopt;
    // No flags: a scheme is required and must be one libcurl supports.
    if (curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
    UrlParts parts;
    parts.scheme = lower(part(handle.get(), CURLUPART_SCHEME));
    parts.host = lower(part(handle.get(), CURLUPART_HOST));
    parts.port = part(handle.get(), CURLUPART_PORT);
    parts.path = part(handle.get(), CURLUPART_PATH);
    if (parts.scheme.empty() || parts.host.empty()) return std::nullopt;
    return parts;
}

}  // namespace dbclone::oracle
