// A tokenizer of PostgreSQL's lexical rules (scan.l), enough to tell names
// from the things that only look like names: quoted identifiers, string
// constants ('', E'', U&'', B'', X''), dollar-quoted strings, comments (-- and
// nested /* */), numbers, parameters and operators. Concatenating the tokens'
// text gives back the input exactly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dbclone::pg::remap {

enum class TokenKind {
    space,
    comment,
    identifier,         // unquoted: compared case-folded
    quoted_identifier,  // "..."
    string,             // '...' (standard conforming)
    escape_string,      // E'...', also U&'...', B'...', X'...' (text kept verbatim)
    dollar_string,      // $tag$...$tag$
    number,
    parameter,  // $1
    punct,      // ( ) , ; [ ] . ::
    op,         // any other operator
};

struct Token {
    TokenKind kind;
    std::string text;  // exactly as in the input
};

std::vector<Token> tokenize(std::string_view sql);

// The identifier a name token denotes: unquoted folded to lower case,
// quoted with "" undone. Empty for other tokens.
std::string identifier_value(const Token& t);

// Content of a standard string ('it''s' -> it's) or a dollar string.
std::string string_value(const Token& t);
// The tag of a dollar string ("$body$"), empty for others.
std::string dollar_tag(const Token& t);

}  // namespace dbclone::pg::remap
