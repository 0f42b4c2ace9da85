#include "engine/oracle/oracle_names.h"

#include <algorithm>
#include <cctype>

#include "core/ascii.h"
#include "core/error.h"

namespace dbclone::oracle {

namespace {
constexpr std::size_t kMaxNameBytes = 128;
constexpr std::size_t kMaxAdbNameBytes = 63;
}  // namespace

std::string validate_name(std::string_view name, std::string_view what) {
    std::string s(name);
    const auto rest = [](char c) {
        return ascii::is_alpha(c) || ascii::is_digit(c) || c == '_' || c == '$' || c == '#';
    };
    if (s.empty() || s.size() > kMaxNameBytes || !ascii::is_alpha(s[0]) ||
        !ascii::all_of(name.substr(1), rest))
        throw Error(ErrorKind::usage, std::string(what) + " '" + s + "' is not a valid Oracle name",
                    "use letters, digits, _ $ # only, starting with a letter, at most 128 characters");
    return s;
}

std::string normalize_name(std::string_view name, std::string_view what) {
    std::string s = validate_name(name, what);
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

std::string quote_ident(std::string_view name) {
    if (name.empty() || name.find('"') != std::string_view::npos || name.find('\0') != std::string_view::npos)
        throw Error(ErrorKind::internal, "catalog name '" + std::string(name) + "' cannot be quoted");
    return "\"" + std::string(name) + "\"";
}

std::string quote_qualified(std::string_view owner, std::string_view name) {
    return quote_ident(owner) + "." + quote_ident(name);
}

std::string sql_literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

std::string validate_adb_name(std::string_view name) {
    std::string s(name);
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_path_word(s, kMaxAdbNameBytes))
        throw Error(ErrorKind::usage,
                    "database name '" + std::string(name) + "' cannot be used in an object prefix",
                    "pass --source-adb NAME with letters, digits, '-' or '_'");
    return s;
}

bool is_path_word(std::string_view s, std::size_t max_size) {
    const auto rest = [](char c) { return ascii::is_lower(c) || ascii::is_digit(c) || c == '_' || c == '-'; };
    return !s.empty() && s.size() <= max_size && (ascii::is_lower(s[0]) || ascii::is_digit(s[0])) &&
           ascii::all_of(s.substr(1), rest);
}

bool is_path_schema(std::string_view s) {
    const auto ok = [](char c) {
        return ascii::is_lower(c) || ascii::is_digit(c) || c == '_' || c == '$' || c == '#';
    };
    return !s.empty() && ascii::all_of(s, ok);
}

bool is_path_timestamp(std::string_view s) {
    return s.size() == 15 && s[8] == 'T' && ascii::all_of(s.substr(0, 8), ascii::is_digit) &&
           ascii::all_of(s.substr(9), ascii::is_digit);
}

void validate_password(std::string_view password, std::string_view what) {
    // CREATE USER cannot bind its password, so it is written into the text:
    // no double quote (ends the identifier), no control character, and none
    // of the characters a SQL*Plus-style client (ORDS runs statements through
    // one) substitutes or treats specially: & (DEFINE), ^ and @ and $ at
    // line start are harmless inside one line, but & is not.
    bool bad = password.empty() || password.find_first_of("\"&") != std::string_view::npos;
    for (char c : password)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) bad = true;
    if (bad)
        throw Error(ErrorKind::usage,
                    std::string(what) + " is empty or contains a double quote, '&' or a control character",
                    "Oracle passwords are written as \"...\" in CREATE USER, where '&' could be substituted; "
                    "choose one without '\"' and '&'");
}

}  // namespace dbclone::oracle
