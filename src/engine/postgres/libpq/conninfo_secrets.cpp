// The passwords inside a libpq connection string (URI or keywords), for the
// CLI to mask and wipe from argv (through the engine registry).
#include <libpq-fe.h>

#include <cstring>
#include <string>
#include <vector>

namespace dbclone {

std::vector<std::string> postgres_connection_secrets(const std::string& connection) {
    std::vector<std::string> secrets;
    if (connection.empty()) return secrets;
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
