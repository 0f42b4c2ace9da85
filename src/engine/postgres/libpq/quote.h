// The one place where PostgreSQL identifiers and literals are quoted.
// Identifiers are always double-quoted: correct for every name (keywords,
// mixed case, spaces, quotes, unicode) and never dependent on the server's
// keyword list.
#pragma once

#include <string>
#include <string_view>

namespace dbclone::pg {

std::string quote_ident(std::string_view name);
// "schema"."name"
std::string qualify(std::string_view schema, std::string_view name);
// A standard_conforming_strings literal: 'it''s'. NUL bytes cannot occur in
// PostgreSQL text, so they are rejected.
std::string quote_literal(std::string_view value);

}  // namespace dbclone::pg
