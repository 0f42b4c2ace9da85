#include "engine/postgres/remap/lexer.h"

#include <cctype>

namespace dbclone::pg::remap {

namespace {

bool ident_start(unsigned char c) {
    return std::isalpha(c) != 0 || c == '_' || c >= 0x80;
}
bool ident_cont(unsigned char c) {
    return ident_start(c) || std::isdigit(c) != 0 || c == '$';
}
bool op_char(char c) {
    return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos;
}

// End of a quoted run starting at `pos` (the opening quote): the doubled
// quote is the escape; with `backslash`, \x escapes the next byte too.
std::size_t quoted_end(std::string_view s, std::size_t pos, char quote, bool backslash) {
    std::size_t i = pos + 1;
    while (i < s.size()) {
        if (backslash && s[i] == '\\') {
            i += 2;
            continue;
        }
        if (s[i] == quote) {
            if (i + 1 < s.size() && s[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return s.size();  // unterminated: the rest is the token
}

// "$tag$" at pos, or empty when pos does not start a dollar quote.
std::string_view dollar_open(std::string_view s, std::size_t pos) {
    std::size_t i = pos + 1;
    if (i < s.size() && s[i] == '$') return s.substr(pos, 2);
    if (i >= s.size() || !ident_start(static_cast<unsigned char>(s[i]))) return {};
    while (i < s.size() && ident_cont(static_cast<unsigned char>(s[i])) && s[i] != '$') ++i;
    if (i < s.size() && s[i] == '$') return s.substr(pos, i - pos + 1);
    return {};
}

}  // namespace

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    auto emit = [&](TokenKind kind, std::size_t end) {
        out.push_back({kind, std::string(s.substr(i, end - i))});
        i = end;
    };
    while (i < s.size()) {
        const char c = s[i];
        const auto uc = static_cast<unsigned char>(c);
        const char next = i + 1 < s.size() ? s[i + 1] : '\0';
        if (std::isspace(uc) != 0) {
            std::size_t j = i;
            while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j])) != 0) ++j;
            emit(TokenKind::space, j);
        } else if (c == '-' && next == '-') {
            std::size_t j = s.find('\n', i);
            emit(TokenKind::comment, j == std::string_view::npos ? s.size() : j);
        } else if (c == '/' && next == '*') {
            std::size_t j = i + 2;
            int depth = 1;
            while (j < s.size() && depth > 0) {
                if (s.compare(j, 2, "/*") == 0) {
                    ++depth;
                    j += 2;
                } else if (s.compare(j, 2, "*/") == 0) {
                    --depth;
                    j += 2;
                } else {
                    ++j;
                }
            }
            emit(TokenKind::comment, j);
        } else if ((c == 'E' || c == 'e') && next == '\'') {
            emit(TokenKind::escape_string, quoted_end(s, i + 1, '\'', true));
        } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && next == '\'') {
            emit(TokenKind::escape_string, quoted_end(s, i + 1, '\'', false));
        } else if ((c == 'U' || c == 'u') && next == '&' && i + 2 < s.size() &&
                   (s[i + 2] == '\'' || s[i + 2] == '"')) {
            const bool ident = s[i + 2] == '"';
            emit(ident ? TokenKind::quoted_identifier : TokenKind::escape_string,
                 quoted_end(s, i + 2, s[i + 2], false));
        } else if (c == '\'') {
            emit(TokenKind::string, quoted_end(s, i, '\'', false));
        } else if (c == '"') {
            emit(TokenKind::quoted_identifier, quoted_end(s, i, '"', false));
        } else if (c == '$') {
            if (std::isdigit(static_cast<unsigned char>(next)) != 0) {
                std::size_t j = i + 1;
                while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) != 0) ++j;
                emit(TokenKind::parameter, j);
            } else if (auto tag = dollar_open(s, i); !tag.empty()) {
                std::size_t close = s.find(tag, i + tag.size());
                emit(TokenKind::dollar_string,
                     close == std::string_view::npos ? s.size() : close + tag.size());
            } else {
                emit(TokenKind::op, i + 1);
            }
        } else if (ident_start(uc)) {
            std::size_t j = i;
            while (j < s.size() && ident_cont(static_cast<unsigned char>(s[j]))) ++j;
            emit(TokenKind::identifier, j);
        } else if (std::isdigit(uc) != 0 ||
                   (c == '.' && std::isdigit(static_cast<unsigned char>(next)) != 0)) {
            std::size_t j = i;
            while (j < s.size() &&
                   (std::isalnum(static_cast<unsigned char>(s[j])) != 0 || s[j] == '.' || s[j] == '_')) {
                if (s[j] == '.' && j + 1 < s.size() && s[j + 1] == '.') break;  // 1..2 in array slices
                ++j;
            }
            emit(TokenKind::number, j);
        } else if (c == ':' && next == ':') {
            emit(TokenKind::punct, i + 2);
        } else if (std::string_view("(),;[].:").find(c) != std::string_view::npos) {
            emit(TokenKind::punct, i + 1);
        } else if (op_char(c)) {
            std::size_t j = i;
            while (j < s.size() && op_char(s[j]) && s.compare(j, 2, "--") != 0 && s.compare(j, 2, "/*") != 0)
                ++j;
            emit(TokenKind::op, j);
        } else {
            emit(TokenKind::op, i + 1);
        }
    }
    return out;
}

std::string identifier_value(const Token& t) {
    if (t.kind == TokenKind::identifier) {
        std::string v = t.text;
        for (char& ch : v)
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        return v;
    }
    if (t.kind == TokenKind::quoted_identifier && t.text.size() >= 2 && t.text[0] == '"') {
        std::string v;
        for (std::size_t i = 1; i + 1 < t.text.size(); ++i) {
            v += t.text[i];
            if (t.text[i] == '"') ++i;
        }
        return v;
    }
    return {};
}

std::string dollar_tag(const Token& t) {
    if (t.kind != TokenKind::dollar_string) return {};
    return t.text.substr(0, t.text.find('$', 1) + 1);
}

std::string string_value(const Token& t) {
    if (t.kind == TokenKind::dollar_string) {
        auto tag = dollar_tag(t);
        if (t.text.size() < 2 * tag.size()) return {};
        return t.text.substr(tag.size(), t.text.size() - 2 * tag.size());
    }
    if (t.kind != TokenKind::string || t.text.size() < 2) return {};
    std::string v;
    for (std::size_t i = 1; i + 1 < t.text.size(); ++i) {
        v += t.text[i];
        if (t.text[i] == '\'') ++i;
    }
    return v;
}

}  // namespace dbclone::pg::remap
