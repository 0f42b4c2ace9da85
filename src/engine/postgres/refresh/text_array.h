// A text[] literal for passing a set of names as one query parameter
// ($1::text[]), so that no name is ever spliced into SQL text.
#pragma once

#include <set>
#include <string>

namespace dbclone::pg {

inline std::string text_array_literal(const std::set<std::string>& values) {
    std::string out = "{";
    for (const auto& v : values) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char ch : v) {
            if (ch == '"' || ch == '\\') out += '\\';
            out += ch;
        }
        out += '"';
    }
    return out + "}";
}

}  // namespace dbclone::pg
