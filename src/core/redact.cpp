#include "core/redact.h"

#include <mutex>
#include <regex>
#include <vector>

namespace dbclone {

namespace {
std::mutex g_mutex;
std::vector<std::string>& secrets() {
    static std::vector<std::string> values;
    return values;
}
}  // namespace

void register_secret(std::string value) {
    // Very short values would mask ordinary words; they are weak secrets anyway.
    if (value.size() < 4) return;
    std::lock_guard lock(g_mutex);
    secrets().push_back(std::move(value));
}

std::string redact(std::string_view text) {
    static const std::regex uri_password(R"(([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]*@)");
    // Not "password => :password": PL/SQL named arguments in plans are not secrets.
    static const std::regex kv_password(
        R"((password|passwd|pwd|secret|token)(\s*=(?!>)\s*)('(\\.|[^'])*'|[^\s>]\S*))", std::regex::icase);
    static const std::regex auth_header(R"((Authorization:\s*)(Basic|Bearer)\s+\S+)", std::regex::icase);
    std::string out(text);
    out = std::regex_replace(out, uri_password, "$1:*****@");
    out = std::regex_replace(out, kv_password, "$1$2*****");
    out = std::regex_replace(out, auth_header, "$1$2 *****");
    std::lock_guard lock(g_mutex);
    for (const auto& s : secrets()) {
        for (auto pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos))
            out.replace(pos, s.size(), "*****");
    }
    return out;
}

}  // namespace dbclone
