// Identifier validation and quoting for the Oracle engine, in one place.
// Names that end up in SQL text (DDL cannot take binds) are checked against
// the rule for ordinary Oracle identifiers and then double-quoted, so no input
// can change the statement around them. Values always travel as binds; the
// literal form exists only for plan text and for job actions that are
// themselves PL/SQL source.
#pragma once

#include <string>
#include <string_view>

namespace dbclone::oracle {

// An ordinary (unquoted-style) Oracle name: letter first, then letters,
// digits, _ $ #, at most 128 bytes. Throws Error(usage) naming `what`.
std::string validate_name(std::string_view name, std::string_view what);

// Same rule after upper-casing: what Oracle stores for an unquoted name.
std::string normalize_name(std::string_view name, std::string_view what);

// "NAME" for a name read from the catalog (any character but a double quote
// or NUL, which Oracle forbids in names anyway). Throws Error(internal) else.
std::string quote_ident(std::string_view name);

// "OWNER"."NAME"
std::string quote_qualified(std::string_view owner, std::string_view name);

// 'text' with embedded quotes doubled.
std::string sql_literal(std::string_view text);

// An ADB name as used in object-storage prefixes: lower case letters, digits,
// '-' and '_'.
std::string validate_adb_name(std::string_view name);

// The parts of a dump-set path (<retention>/<adb>/schema/<schema>/<timestamp>):
// a word is a lower-case letter or digit, then lower-case letters, digits,
// '_' or '-', at most `max_size` bytes; a schema segment is lower-case
// letters, digits, _ $ #; a timestamp is YYYYMMDDTHHMMSS.
bool is_path_word(std::string_view s, std::size_t max_size = std::string_view::npos);
bool is_path_schema(std::string_view s);
bool is_path_timestamp(std::string_view s);

// A password that will be embedded between double quotes in CREATE USER:
// no '"', no '&' (client substitution), no control character.
void validate_password(std::string_view password, std::string_view what);

}  // namespace dbclone::oracle
