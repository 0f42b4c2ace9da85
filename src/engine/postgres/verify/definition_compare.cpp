#include "engine/postgres/verify/definition_compare.h"

#include <string_view>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

constexpr auto npos = std::string::npos;

std::size_t skip_spaces(const std::string& sql, std::size_t at) {
    while (at < sql.size() && ascii::is_space(sql[at])) ++at;
    return at;
}

// "(IN p bigint, IN q text" -> "(p bigint, q text": an IN (then blanks) after
// '(' or ',' and blanks goes.
std::string drop_in_modes(const std::string& sql) {
    std::string out;
    out.reserve(sql.size());
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i++];
        out += c;
        if (c != '(' && c != ',') continue;
        const auto in = skip_spaces(sql, i);
        if (sql.compare(in, 2, "IN") != 0 || in + 2 >= sql.size() || !ascii::is_space(sql[in + 2])) continue;
        out.append(sql, i, in - i);
        i = skip_spaces(sql, in + 2);
    }
    return out;
}

// The end of "CONSTRAINT <name> NOT NULL" starting at `at` (name a word or
// non-empty "quoted"; blanks between), or npos.
std::size_t named_not_null_end(const std::string& sql, std::size_t at) {
    auto p = at + std::string_view("CONSTRAINT").size();
    if (p >= sql.size() || !ascii::is_space(sql[p])) return npos;
    p = skip_spaces(sql, p);
    if (p < sql.size() && sql[p] == '"') {
        const auto close = sql.find('"', p + 1);
        if (close == npos || close == p + 1) return npos;
        p = close + 1;
    } else {
        const auto start = p;
        while (p < sql.size() && ascii::is_word(sql[p])) ++p;
        if (p == start) return npos;
    }
    if (p >= sql.size() || !ascii::is_space(sql[p])) return npos;
    p = skip_spaces(sql, p);
    return sql.compare(p, 8, "NOT NULL") == 0 ? p + 8 : npos;
}

// "CONSTRAINT code_not_null NOT NULL" -> "NOT NULL"
std::string drop_not_null_names(const std::string& sql) {
    std::string out;
    std::size_t copied = 0;
    for (auto at = sql.find("CONSTRAINT"); at != npos;) {
        const auto end = named_not_null_end(sql, at);
        if (end == npos) {
            at = sql.find("CONSTRAINT", at + 1);
            continue;
        }
        out.append(sql, copied, at - copied);
        out += "NOT NULL";
        copied = end;
        at = sql.find("CONSTRAINT", end);
    }
    out.append(sql, copied);
    return out;
}

// The end of a qualifier starting at `at` - a lower-case name that starts a
// word (letters, digits, _ $) or a non-empty "quoted" name, then a dot
// followed by a lower-case letter, '_' or '"' - or npos.
std::size_t qualifier_end(const std::string& sql, std::size_t at) {
    const auto name_start = [](char c) { return ascii::is_lower(c) || c == '_'; };
    std::size_t p = npos;
    if (name_start(sql[at]) && (at == 0 || !ascii::is_word(sql[at - 1]))) {
        p = at + 1;
        while (p < sql.size() && (name_start(sql[p]) || ascii::is_digit(sql[p]) || sql[p] == '$')) ++p;
    } else if (sql[at] == '"') {
        const auto close = sql.find('"', at + 1);
        if (close != npos && close > at + 1) p = close + 1;
    }
    if (p == npos || p + 1 >= sql.size() || sql[p] != '.') return npos;
    const char next = sql[p + 1];
    return name_start(next) || next == '"' ? p + 1 : npos;
}

// "account.account_id" -> "account_id"
std::string drop_qualifiers(const std::string& sql) {
    std::string out;
    out.reserve(sql.size());
    for (std::size_t i = 0; i < sql.size();) {
        if (const auto end = qualifier_end(sql, i); end != npos) {
            i = end;
        } else {
            out += sql[i++];
        }
    }
    return out;
}

}  // namespace

std::string comparable_definition(const DdlEntry& entry, const std::string& schema) {
    std::string sql = entry.sql;
    // "(IN p bigint, IN q text DEFAULT ...)" -> "(p bigint, q text DEFAULT ...)"
    if (entry.kind == "PROCEDURE" || entry.kind == "FUNCTION") sql = drop_in_modes(sql);
    // 18: "CONSTRAINT code_not_null NOT NULL" -> "NOT NULL"
    if (entry.kind == "DOMAIN") sql = drop_not_null_names(sql);
    if (entry.kind == "VIEW" || entry.kind == "MATERIALIZED VIEW") {
        // "account.account_id" -> "account_id": 16+ omits the qualifier where
        // it is not needed, older releases always print it.
        // Schema qualifiers are meaning, not form: hidden from the scan by
        // a byte no definition contains, put back afterwards.
        // (quoted or not: deparse quotes only where needed, keywords included).
        std::vector<std::string> prefixes;
        if (!schema.empty()) prefixes = {quote_ident(schema) + ".", schema + "."};
        std::vector<std::pair<std::string, std::string>> hidden;  // sentinel -> prefix
        for (const auto& prefix : prefixes) {
            const std::string sentinel =
                std::string("\x01") + static_cast<char>('0' + hidden.size()) + "\x01";
            for (auto at = sql.find(prefix); at != std::string::npos;
                 at = sql.find(prefix, at + sentinel.size()))
                sql.replace(at, prefix.size(), sentinel);
            hidden.emplace_back(sentinel, prefix);
        }
        sql = drop_qualifiers(sql);
        for (const auto& [sentinel, prefix] : hidden)
            for (auto at = sql.find(sentinel); at != std::string::npos;
                 at = sql.find(sentinel, at + prefix.size()))
                sql.replace(at, sentinel.size(), prefix);
    }
    return sql;
}

}  // namespace dbclone::pg
