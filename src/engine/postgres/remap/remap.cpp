#include "engine/postgres/remap/remap.h"

#include <fmt/format.h>

#include <set>

#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/remap/lexer.h"

namespace dbclone::pg::remap {

namespace {

bool is_name(const Token& t) {
    return t.kind == TokenKind::identifier || t.kind == TokenKind::quoted_identifier;
}
bool is_keyword(const Token& t, std::string_view word) {
    return t.kind == TokenKind::identifier && identifier_value(t) == word;
}
bool is_punct(const Token& t, std::string_view p) {
    return t.kind == TokenKind::punct && t.text == p;
}

// The name as PostgreSQL itself prints it: bare when it reads back the
// same (lower case, not a keyword that needs quotes), else quoted, so that
// rewritten text looks like the source's did.
std::string name_text(const std::string& name) {
    static const std::set<std::string_view> reserved = {"all",
                                                        "analyse",
                                                        "analyze",
                                                        "and",
                                                        "any",
                                                        "array",
                                                        "as",
                                                        "asc",
                                                        "asymmetric",
                                                        "authorization",
                                                        "between",
                                                        "bigint",
                                                        "binary",
                                                        "bit",
                                                        "boolean",
                                                        "both",
                                                        "case",
                                                        "cast",
                                                        "char",
                                                        "character",
                                                        "check",
                                                        "coalesce",
                                                        "collate",
                                                        "collation",
                                                        "column",
                                                        "concurrently",
                                                        "constraint",
                                                        "create",
                                                        "cross",
                                                        "current_catalog",
                                                        "current_date",
                                                        "current_role",
                                                        "current_schema",
                                                        "current_time",
                                                        "current_timestamp",
                                                        "current_user",
                                                        "dec",
                                                        "decimal",
                                                        "default",
                                                        "deferrable",
                                                        "desc",
                                                        "distinct",
                                                        "do",
                                                        "else",
                                                        "end",
                                                        "except",
                                                        "exists",
                                                        "extract",
                                                        "false",
                                                        "fetch",
                                                        "float",
                                                        "for",
                                                        "foreign",
                                                        "freeze",
                                                        "from",
                                                        "full",
                                                        "grant",
                                                        "greatest",
                                                        "group",
                                                        "grouping",
                                                        "having",
                                                        "ilike",
                                                        "in",
                                                        "initially",
                                                        "inner",
                                                        "inout",
                                                        "int",
                                                        "integer",
                                                        "intersect",
                                                        "interval",
                                                        "into",
                                                        "is",
                                                        "isnull",
                                                        "join",
                                                        "json",
                                                        "lateral",
                                                        "leading",
                                                        "least",
                                                        "left",
                                                        "like",
                                                        "limit",
                                                        "localtime",
                                                        "localtimestamp",
                                                        "national",
                                                        "natural",
                                                        "nchar",
                                                        "none",
                                                        "normalize",
                                                        "not",
                                                        "notnull",
                                                        "null",
                                                        "nullif",
                                                        "numeric",
                                                        "offset",
                                                        "on",
                                                        "only",
                                                        "or",
                                                        "order",
                                                        "out",
                                                        "outer",
                                                        "overlaps",
                                                        "overlay",
                                                        "placing",
                                                        "position",
                                                        "precision",
                                                        "primary",
                                                        "real",
                                                        "references",
                                                        "returning",
                                                        "right",
                                                        "row",
                                                        "select",
                                                        "session_user",
                                                        "setof",
                                                        "similar",
                                                        "smallint",
                                                        "some",
                                                        "substring",
                                                        "symmetric",
                                                        "system_user",
                                                        "table",
                                                        "tablesample",
                                                        "then",
                                                        "time",
                                                        "timestamp",
                                                        "to",
                                                        "trailing",
                                                        "treat",
                                                        "trim",
                                                        "true",
                                                        "union",
                                                        "unique",
                                                        "user",
                                                        "using",
                                                        "values",
                                                        "varchar",
                                                        "variadic",
                                                        "verbose",
                                                        "when",
                                                        "where",
                                                        "window",
                                                        "with",
                                                        "xmlattributes",
                                                        "xmlconcat",
                                                        "xmlelement",
                                                        "xmlexists",
                                                        "xmlforest",
                                                        "xmlnamespaces",
                                                        "xmlparse",
                                                        "xmlpi",
                                                        "xmlroot",
                                                        "xmlserialize",
                                                        "xmltable"};
    bool bare = !name.empty() && !(name[0] >= '0' && name[0] <= '9') && name[0] != '$';
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) bare = false;
    return bare && !reserved.count(name) ? name : quote_ident(name);
}

std::string quote_string(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

struct Context {
    const std::string& from;
    const std::string& to;
    const Options& options;
    std::vector<std::string>& rewrites;
    bool& body_rewritten;
};

// "src.t" / "src.f(integer)" / "src" (when `bare`) with the schema replaced;
// empty when `text` is not such a name.
std::string remap_name_text(const std::string& text, const Context& cx, bool bare) {
    auto toks = tokenize(text);
    if (toks.empty() || !is_name(toks[0]) || identifier_value(toks[0]) != cx.from) return {};
    if (toks.size() == 1) return bare ? name_text(cx.to) : std::string();
    if (toks.size() < 3 || !is_punct(toks[1], ".") || !is_name(toks[2])) return {};
    if (toks.size() > 3 && !is_punct(toks[3], "(")) return {};
    std::string out = name_text(cx.to);
    for (std::size_t i = 1; i < toks.size(); ++i) out += toks[i].text;
    return out;
}

// A search_path spelt as one string ('src, public', '"src", pg_temp') with
// the schema's element renamed; empty when no element names it.
std::string remap_path_list(const std::string& value, const Context& cx) {
    bool changed = false;
    std::string out;
    for (const auto& t : tokenize(value)) {
        if (is_name(t) && identifier_value(t) == cx.from) {
            out += name_text(cx.to);
            changed = true;
        } else {
            out += t.text;
        }
    }
    return changed ? out : std::string();
}

// Whether the string at `i` is the value of set_config('search_path', <i>, ...).
bool is_set_config_path_value(const std::vector<Token>& toks, std::size_t i) {
    auto prev_significant = [&](std::size_t k) -> std::size_t {
        while (k > 0) {
            --k;
            if (toks[k].kind != TokenKind::space && toks[k].kind != TokenKind::comment) return k;
        }
        return toks.size();
    };
    auto comma = prev_significant(i);
    if (comma >= toks.size() || !is_punct(toks[comma], ",")) return false;
    auto name = prev_significant(comma);
    if (name >= toks.size() || toks[name].kind != TokenKind::string ||
        string_value(toks[name]) != "search_path")
        return false;
    auto paren = prev_significant(name);
    if (paren >= toks.size() || !is_punct(toks[paren], "(")) return false;
    auto fn = prev_significant(paren);
    return fn < toks.size() && is_keyword(toks[fn], "set_config");
}

std::string remap_tokens(std::string_view sql, const Context& cx, int depth);

// Index of the next token that is not space or comment, or tokens.size().
std::size_t next_significant(const std::vector<Token>& toks, std::size_t i) {
    ++i;
    while (i < toks.size() && (toks[i].kind == TokenKind::space || toks[i].kind == TokenKind::comment)) ++i;
    return i;
}

std::string remap_tokens(std::string_view sql, const Context& cx, int depth) {
    auto toks = tokenize(sql);
    const char* where = depth == 0 ? "" : " (function body)";
    // The statement's routine language, for deciding whether a body is SQL.
    bool routine = false;
    std::string language;
    for (std::size_t i = 0; i < toks.size(); ++i) {
        if (is_keyword(toks[i], "function") || is_keyword(toks[i], "procedure")) routine = true;
        if (is_keyword(toks[i], "language")) {
            auto n = next_significant(toks, i);
            if (n < toks.size())
                language = is_name(toks[n]) ? identifier_value(toks[n]) : string_value(toks[n]);
        }
    }
    const bool sql_language = language == "sql" || language == "plpgsql";
    std::string out;
    std::size_t prev = toks.size();  // previous significant token
    bool in_search_path = false;     // after "search_path TO|="
    for (std::size_t i = 0; i < toks.size(); ++i) {
        Token& t = toks[i];
        const bool significant = t.kind != TokenKind::space && t.kind != TokenKind::comment;
        std::string text = t.text;
        if (in_search_path && significant && !is_punct(t, ",") && !is_name(t) && t.kind != TokenKind::string)
            in_search_path = false;
        if (in_search_path && (is_name(t) || t.kind == TokenKind::string)) {
            auto value = is_name(t) ? identifier_value(t) : string_value(t);
            if (value == cx.from) {
                text = is_name(t) ? name_text(cx.to) : quote_string(cx.to);
            } else if (t.kind == TokenKind::string) {  // the whole list in one string
                auto list = remap_path_list(value, cx);
                if (!list.empty()) text = quote_string(list);
            }
            if (text != t.text) {
                cx.rewrites.push_back("search_path " + t.text + " -> " + text + where);
                cx.body_rewritten = true;
            }
        } else if (t.kind == TokenKind::string && is_set_config_path_value(toks, i)) {
            auto list = remap_path_list(string_value(t), cx);
            if (!list.empty()) {
                text = quote_string(list);
                cx.rewrites.push_back("set_config('search_path', " + t.text + ") -> " + text + where);
                if (depth > 0) cx.body_rewritten = true;
            }
        } else if (is_name(t) && i + 1 < toks.size() && is_punct(toks[i + 1], ".") &&
                   identifier_value(t) == cx.from) {
            if (cx.to.empty()) {  // unqualify: drop the schema and its dot
                ++i;
                continue;
            }
            text = name_text(cx.to);
            std::string member = i + 2 < toks.size() ? toks[i + 2].text : "";
            cx.rewrites.push_back(fmt::format("{}.{} -> {}.{}{}", t.text, member, text, member, where));
            if (depth > 0) cx.body_rewritten = true;
        } else if (t.kind == TokenKind::string) {
            auto n = next_significant(toks, i);
            bool reg_cast = false;
            bool bare = false;
            if (n < toks.size() && is_punct(toks[n], "::")) {
                auto type = next_significant(toks, n);
                if (type < toks.size() && toks[type].kind == TokenKind::identifier) {
                    auto tn = identifier_value(toks[type]);
                    reg_cast = tn.rfind("reg", 0) == 0;
                    bare = tn == "regnamespace";
                }
            }
            const bool body = prev < toks.size() && is_keyword(toks[prev], "as") && routine && depth == 0;
            if (body) {
                if (cx.options.rewrite_bodies && sql_language) {
                    auto inner = remap_tokens(string_value(t), cx, depth + 1);
                    text = quote_string(inner);
                }
            } else if (reg_cast || depth > 0) {
                auto renamed = remap_name_text(string_value(t), cx, bare);
                if (!renamed.empty()) {
                    text = quote_string(renamed);
                    cx.rewrites.push_back(t.text + " -> " + text + where);
                    if (depth > 0) cx.body_rewritten = true;
                }
            }
        } else if (t.kind == TokenKind::dollar_string) {
            const bool body =
                prev < toks.size() && is_keyword(toks[prev], "as") && routine && depth == 0 && sql_language;
            const bool do_block = prev < toks.size() && is_keyword(toks[prev], "do");
            if ((body || do_block) && cx.options.rewrite_bodies) {
                auto inner = remap_tokens(string_value(t), cx, depth + 1);
                std::string tag = dollar_tag(t);
                for (int n = 0; inner.find(tag) != std::string::npos; ++n)
                    tag = "$dbclone" + std::to_string(n) + "$";
                text = fmt::format("{}{}{}", tag, inner, tag);
            } else if (depth > 0) {
                auto renamed = remap_name_text(string_value(t), cx, false);
                if (!renamed.empty()) {
                    std::string tag = dollar_tag(t);
                    text = fmt::format("{}{}{}", tag, renamed, tag);
                    cx.rewrites.push_back(t.text + " -> " + text + where);
                    cx.body_rewritten = true;
                }
            }
        }
        if (significant) {
            if (is_keyword(t, "search_path")) {
                auto n = next_significant(toks, i);
                if (n < toks.size() && (is_keyword(toks[n], "to") || toks[n].text == "=")) {
                    out += text;
                    for (std::size_t k = i + 1; k <= n; ++k) out += toks[k].text;
                    i = n;
                    prev = n;
                    in_search_path = true;
                    continue;
                }
            }
            prev = i;
        }
        out += text;
    }
    return out;
}

}  // namespace

Remapped remap_schema(std::string_view sql, const std::string& from, const std::string& to,
                      const Options& options) {
    Remapped r;
    if (from == to) {
        r.sql = std::string(sql);
        return r;
    }
    Context cx{from, to, options, r.rewrites, r.body_rewritten};
    r.sql = remap_tokens(sql, cx, 0);
    return r;
}

}  // namespace dbclone::pg::remap
