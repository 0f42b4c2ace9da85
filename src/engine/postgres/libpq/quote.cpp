#include "engine/postgres/libpq/quote.h"

#include "core/error.h"

namespace dbclone::pg {

std::string quote_ident(std::string_view name) {
    if (name.empty()) throw Error(ErrorKind::usage, "empty SQL identifier");
    std::string out;
    out.reserve(name.size() + 2);
    out += '"';
    for (char c : name) {
        if (c == '\0') throw Error(ErrorKind::usage, "SQL identifier contains a NUL byte");
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string qualify(std::string_view schema, std::string_view name) {
    return quote_ident(schema) + "." + quote_ident(name);
}

std::string quote_literal(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 2);
    out += '\'';
    for (char c : value) {
        if (c == '\0') throw Error(ErrorKind::usage, "SQL literal contains a NUL byte");
        if (c == '\'') out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

}  // namespace dbclone::pg
