// The passwords inside a libpq connection string (URI or keywords), for the
// CLI to mask and wipe from argv (through the engine registry).
#include "engine/postgres/libpq/conninfo_secrets.h"

#include <libpq-fe.h>

#include <cstring>
#include <string>
#include <vector>

namespace dbclone {

namespace {

// The user info of a postgresql:// URI ("user:password"), up to its last '@'.
std::string uri_userinfo(const std::string& connection) {
    for (const char* scheme : {"postgresql://", "postgres://"}) {
        if (connection.rfind(scheme, 0) != 0) continue;
        auto rest = connection.substr(std::strlen(scheme));
        auto end = rest.find('?');
        auto at = rest.rfind('@', end == std::string::npos ? std::string::npos : end);
        return at == std::string::npos ? std::string() : rest.substr(0, at);
    }
    return {};
}

}  // namespace

bool has_unencoded_at_in_userinfo(const std::string& connection) {
    return uri_userinfo(connection).find('@') != std::string::npos;
}

std::vector<std::string> postgres_connection_secrets(const std::string& connection) {
    std::vector<std::string> secrets;
    if (connection.empty()) return secrets;
    if (auto info = uri_userinfo(connection); info.find('@') != std::string::npos) {
        // libpq would take the password up to the first '@' and the rest for
        // a host name: mask all of it, whole and piece by piece.
        if (auto colon = info.find(':'); colon != std::string::npos)
            secrets.push_back(info.substr(colon + 1));
        for (auto at = info.find('@'); at != std::string::npos; at = info.find('@', at + 1)) {
            auto next = info.find('@', at + 1);
            auto piece = info.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
            if (!piece.empty()) secrets.push_back(piece);
        }
    }
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(connection.c_str(), &err);
    if (err) PQfreemem(err);
    if (!options) return secrets;  // not a libpq connection string
    for (auto* o = options; o->keyword; ++o)
        if (o->val && std::strcmp(o->keyword, "password") == 0) secrets.emplace_back(o->val);
    PQconninfoFree(options);
    return secrets;
}

}  // namespace dbclone
