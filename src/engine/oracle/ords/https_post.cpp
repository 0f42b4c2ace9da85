#include "engine/oracle/ords/https_post.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <memory>
#include <mutex>

#include "core/error.h"
#include "core/redact.h"
#include "engine/oracle/ords/url.h"

namespace dbclone::oracle {

namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t collect(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

void check_url_scheme(const std::string& url) {
    // Parsed the way libcurl will send it, so "http://127.0.0.1.evil.com" or
    // "http://localhost@evil.com" are the hosts curl would connect to.
    const auto parts = parse_url(url);
    if (parts && parts->scheme == "https") return;
    // Loopback only: the test server, or an SSH tunnel the user set up.
    if (parts && parts->scheme == "http" &&
        (parts->host == "127.0.0.1" || parts->host == "localhost" || parts->host == "[::1]"))
        return;
    throw Error(ErrorKind::usage, "'" + redact(url) + "' is not an https:// ORDS URL",
                "use https://<host>/ords/<schema>; plain http is accepted only for 127.0.0.1/localhost");
}

HttpResponse https_post(const HttpRequest& request, const HttpOptions& options) {
    check_url_scheme(request.url);
    global_init();
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) throw Error(ErrorKind::internal, "curl_easy_init failed");

    std::unique_ptr<curl_slist, ListDeleter> headers;
    auto add_header = [&](const std::string& h) {
        headers.reset(curl_slist_append(headers.release(), h.c_str()));
    };
    add_header("Content-Type: " + request.content_type);
    add_header("Accept: application/json");
    if (!request.authorization.empty()) add_header("Authorization: " + request.authorization);

    HttpResponse response;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    // Redirects would resend credentials to another host: never follow them.
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options.insecure_tls ? 0L : 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options.insecure_tls ? 0L : 2L);

    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        std::string what = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
        std::string hint =
            rc == CURLE_OPERATION_TIMEDOUT
                ? "the server did not answer in time; long work is started as a job and polled, "
                  "so a timeout usually means ORDS or the network is overloaded"
                : "check the URL, DNS and that ORDS is reachable";
        throw Error(ErrorKind::connection, "POST " + redact(request.url) + " failed: " + redact(what), hint);
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

std::string base64(const std::string& text) {
    // EVP_EncodeBlock writes 4 characters for every 3 bytes begun, and a NUL.
    std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

}  // namespace dbclone::oracle
