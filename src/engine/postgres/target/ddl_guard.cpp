#include "engine/postgres/target/ddl_guard.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "core/error.h"
#include "engine/postgres/remap/lexer.h"

namespace dbclone::pg {

namespace {

using remap::Token;
using remap::TokenKind;

bool is_word(const Token& t) {
    return t.kind == TokenKind::identifier;
}
bool is_name(const Token& t) {
    return t.kind == TokenKind::identifier || t.kind == TokenKind::quoted_identifier;
}
std::string upper(const Token& t) {
    if (!is_word(t)) return {};
    std::string out = t.text;
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}
bool punct(const Token& t, const char* text) {
    return t.kind == TokenKind::punct && t.text == text;
}

// A statement as its meaningful tokens (no spaces, no comments), with the
// parenthesis depth of each.
struct Statement {
    std::vector<Token> words;
    std::vector<int> depth;
    std::string text;

    std::string word(std::size_t i) const { return i < words.size() ? upper(words[i]) : std::string(); }
    bool at(std::size_t i, std::initializer_list<const char*> seq) const {
        for (const char* w : seq)
            if (word(i++) != w) return false;
        return true;
    }
};

std::vector<Statement> split(const std::string& sql) {
    std::vector<Statement> out;
    Statement cur;
    int parens = 0;
    int atomic = 0;  // inside BEGIN ATOMIC ... END of a CREATE FUNCTION/PROCEDURE
    auto flush = [&] {
        if (!cur.words.empty()) out.push_back(std::move(cur));
        cur = Statement{};
        parens = 0;
        atomic = 0;
    };
    for (auto& t : remap::tokenize(sql)) {
        if (t.kind == TokenKind::space || t.kind == TokenKind::comment) {
            cur.text += t.text;
            continue;
        }
        if (punct(t, ";") && parens == 0 && atomic == 0) {
            flush();
            continue;
        }
        if (punct(t, "(")) ++parens;
        if (punct(t, ")") && parens > 0) --parens;
        const auto w = upper(t);
        if (parens == 0 && cur.word(0) == "CREATE") {
            if (w == "ATOMIC" && cur.word(cur.words.size() - 1) == "BEGIN") ++atomic;
            // CASE ... END inside the body; END closes the innermost.
            if (atomic > 0 && w == "CASE") ++atomic;
            if (atomic > 0 && w == "END") --atomic;
        }
        cur.depth.push_back(parens);
        cur.words.push_back(t);
        cur.text += t.text;
    }
    flush();
    for (auto& s : out) {
        // Leading and trailing space of the statement text.
        auto first = s.text.find_first_not_of(" \t\r\n");
        auto last = s.text.find_last_not_of(" \t\r\n");
        s.text = first == std::string::npos ? std::string() : s.text.substr(first, last - first + 1);
    }
    return out;
}

// Object types a schema holds, longest first so that "OPERATOR CLASS" wins
// over "OPERATOR".
const std::vector<std::vector<std::string>>& object_types() {
    static const std::vector<std::vector<std::string>> types = {
        {"TEXT", "SEARCH", "CONFIGURATION"},
        {"TEXT", "SEARCH", "DICTIONARY"},
        {"TEXT", "SEARCH", "PARSER"},
        {"TEXT", "SEARCH", "TEMPLATE"},
        {"MATERIALIZED", "VIEW"},
        {"OPERATOR", "CLASS"},
        {"OPERATOR", "FAMILY"},
        {"OPERATOR"},
        {"TABLE"},
        {"VIEW"},
        {"SEQUENCE"},
        {"TYPE"},
        {"DOMAIN"},
        {"FUNCTION"},
        {"PROCEDURE"},
        {"AGGREGATE"},
        {"COLLATION"},
        {"CONVERSION"},
        {"INDEX"},
        {"TRIGGER"},
        {"POLICY"},
        {"RULE"},
        {"STATISTICS"},
    };
    return types;
}

// The object type at word i ("" when none); advances i past it.
std::string object_type(const Statement& s, std::size_t& i) {
    for (const auto& type : object_types()) {
        std::size_t j = i;
        bool match = true;
        for (const auto& w : type)
            if (s.word(j++) != w) {
                match = false;
                break;
            }
        if (!match) continue;
        i = j;
        std::string out;
        for (const auto& w : type) out += (out.empty() ? "" : " ") + w;
        return out;
    }
    return {};
}

class Checker {
public:
    Checker(const DdlEntry& entry, const std::string& schema) : entry_(entry), schema_(schema) {}

    [[noreturn]] void refuse(const std::string& why) const {
        throw Error(
            ErrorKind::untrusted,
            fmt::format("DDL entry {} of the dump set {}; refusing to run it", entry_label(entry_), why),
            "the dump set was edited or is not from dbclone: export again, and sign dump sets "
            "(--sign-key / --verify-key) when the store is not trusted");
    }

    // A name at word i: unqualified, or qualified with the dump set's own
    // schema (a two-part name a.b is schema.object; with `column`, a.b is
    // table.column and a.b.c names the schema).
    void expect_own_name(const Statement& s, std::size_t i, bool column = false) const {
        if (i >= s.words.size()) refuse("ends where a name was expected");
        if (!is_name(s.words[i])) {
            if (s.words[i].kind == TokenKind::op) return;  // an operator's name
            refuse(fmt::format("has '{}' where a name was expected", s.words[i].text));
        }
        std::size_t parts = 1;
        while (i + 2 * parts < s.words.size() && punct(s.words[i + 2 * parts - 1], ".") &&
               (is_name(s.words[i + 2 * parts]) || s.words[i + 2 * parts].kind == TokenKind::op))
            ++parts;
        if (parts == 1 || (column && parts == 2)) return;
        const auto qualifier = remap::identifier_value(s.words[i]);
        if (qualifier != schema_)
            refuse(fmt::format("acts on {}, an object of schema \"{}\" outside the dump set's schema",
                               s.words[i].text + "." + s.words[i + 2].text, qualifier));
    }

    // Word index of the first keyword `w` outside parentheses, from `from`.
    std::size_t find(const Statement& s, const std::string& w, std::size_t from = 0) const {
        for (std::size_t i = from; i < s.words.size(); ++i)
            if (s.depth[i] == 0 && s.word(i) == w) return i;
        return std::string::npos;
    }

    void no_escape(const Statement& s) const {
        for (std::size_t i = 0; i + 1 < s.words.size(); ++i) {
            if (s.depth[i] != 0) continue;
            if (s.at(i, {"SET", "SCHEMA"})) refuse("moves an object to another schema (SET SCHEMA)");
            if (s.at(i, {"OWNER", "TO"})) refuse("changes an owner (OWNER TO)");
            if (s.at(i, {"ATTACH", "PARTITION"})) expect_own_name(s, i + 2);
            if (s.word(i) == "INHERIT" && s.word(i - 1) != "NO") expect_own_name(s, i + 1);
        }
    }

    // CREATE [OR REPLACE] [modifiers] <type> ...; returns the type.
    std::string check_create(const Statement& s) const {
        std::size_t i = 1;
        if (s.at(i, {"OR", "REPLACE"})) i += 2;
        static const std::set<std::string> modifiers = {"UNLOGGED", "UNIQUE", "RECURSIVE", "CONSTRAINT",
                                                        "DEFAULT"};
        while (modifiers.count(s.word(i))) ++i;
        auto type = object_type(s, i);
        if (type.empty()) refuse(fmt::format("creates {}, which is not an object of a schema", s.word(i)));
        if (s.word(i) == "CONCURRENTLY") ++i;
        if (s.at(i, {"IF", "NOT", "EXISTS"})) i += 3;
        if (type == "INDEX") {
            if (s.word(i) != "ON") expect_own_name(s, i);
            auto on = find(s, "ON");
            if (on == std::string::npos) refuse("creates an index on no table");
            expect_own_name(s, s.word(on + 1) == "ONLY" ? on + 2 : on + 1);
        } else {
            expect_own_name(s, i);
        }
        if (type == "TRIGGER" || type == "POLICY") {
            auto on = find(s, "ON", i);
            if (on == std::string::npos) refuse("names no table");
            expect_own_name(s, s.word(on + 1) == "ONLY" ? on + 2 : on + 1);
        }
        if (type == "RULE") {
            auto to = find(s, "TO", i);
            if (to == std::string::npos) refuse("names no table");
            expect_own_name(s, to + 1);
        }
        if (type == "STATISTICS") {
            auto from = find(s, "FROM", i);
            if (from != std::string::npos) expect_own_name(s, from + 1);
        }
        no_escape(s);
        return type;
    }

    // ALTER <type> [IF EXISTS] [ONLY] name ...; returns the type.
    std::string check_alter(const Statement& s) const {
        std::size_t i = 1;
        auto type = object_type(s, i);
        if (type.empty()) refuse(fmt::format("alters {}, which is not an object of a schema", s.word(i)));
        if (s.at(i, {"IF", "EXISTS"})) i += 2;
        if (s.word(i) == "ONLY") ++i;
        expect_own_name(s, i);
        no_escape(s);
        return type;
    }

    // COMMENT ON <type> name [ON [DOMAIN] name] IS ...
    void check_comment(const Statement& s) const {
        if (s.word(1) != "ON") refuse("is a COMMENT without ON");
        // On an extension the set creates in its schema: the load refuses a
        // target that has one of that name already (target/load_preflight.h).
        if (s.word(2) == "EXTENSION") {
            if (s.words.size() != 6 || !is_name(s.words[3]) || s.word(4) != "IS" ||
                (s.words[5].kind != TokenKind::string && s.words[5].kind != TokenKind::escape_string))
                refuse("comments on an extension in more than COMMENT ON EXTENSION name IS 'text'");
            return;
        }
        std::size_t i = 2;
        const bool column = s.word(i) == "COLUMN";
        if (column) {
            ++i;
        } else if (s.word(i) == "CONSTRAINT") {
            ++i;
        } else if (object_type(s, i).empty()) {
            refuse(fmt::format("comments on {}, which is not an object of a schema", s.word(i)));
        }
        expect_own_name(s, i, column);
        auto on = find(s, "ON", i);
        auto is = find(s, "IS", i);
        if (is == std::string::npos) refuse("is a COMMENT without IS");
        if (on != std::string::npos && on < is)
            expect_own_name(s, s.word(on + 1) == "DOMAIN" ? on + 2 : on + 1);
        if (is + 2 != s.words.size()) refuse("holds more than a comment after IS");
    }

    // SECURITY LABEL FOR provider ON [COLUMN | type] name IS 'label': on an
    // object of the dump set's schema (the schema's own labels are not
    // entries), and nothing else.
    void check_security_label(const Statement& s) const {
        if (s.words.size() < 8 || s.word(2) != "FOR" || !is_name(s.words[3]) || s.word(4) != "ON")
            refuse("is a SECURITY LABEL without FOR provider ON");
        std::size_t i = 5;
        const bool column = s.word(i) == "COLUMN";
        if (column) {
            ++i;
        } else if (object_type(s, i).empty()) {
            refuse(fmt::format("labels {}, which is not an object of a schema", s.word(i)));
        }
        expect_own_name(s, i, column);
        auto is = find(s, "IS", i);
        if (is == std::string::npos) refuse("is a SECURITY LABEL without IS");
        if (is + 2 != s.words.size() ||
            (s.words[is + 1].kind != TokenKind::string && s.words[is + 1].kind != TokenKind::escape_string))
            refuse("holds more than a label after IS");
    }

    // GRANT|REVOKE privileges ON [type] name[, name] TO|FROM grantees
    void check_grant(const Statement& s) const {
        auto on = find(s, "ON");
        if (on == std::string::npos) refuse("grants a role, not a privilege on an object");
        std::size_t i = on + 1;
        static const std::set<std::string> refused = {"SCHEMA",  "DATABASE", "LANGUAGE",   "LARGE",
                                                      "FOREIGN", "ALL",      "TABLESPACE", "PARAMETER"};
        if (refused.count(s.word(i)))
            refuse(fmt::format("grants on {}, which is not an object of the dump set's schema", s.word(i)));
        static const std::set<std::string> kinds = {"TABLE",   "SEQUENCE", "FUNCTION", "PROCEDURE",
                                                    "ROUTINE", "TYPE",     "DOMAIN"};
        if (kinds.count(s.word(i))) ++i;
        const std::string end = s.word(0) == "GRANT" ? "TO" : "FROM";
        auto stop = find(s, end, i);
        if (stop == std::string::npos) refuse("names no grantee");
        for (std::size_t j = i; j < stop; ++j)
            if (s.depth[j] == 0 && (j == i || punct(s.words[j - 1], ","))) expect_own_name(s, j);
    }

    // Which statement an entry of this kind starts with.
    std::string expected_start() const {
        const auto& k = entry_.kind;
        if (k == "CONSTRAINT" || k == "FK CONSTRAINT" || k == "ROW SECURITY" || k == "FORCE ROW SECURITY" ||
            k == "REPLICA IDENTITY" || k == "CLUSTER ON")
            return "ALTER TABLE";
        if (k == "INDEX ATTACH") return "ALTER INDEX";
        if (k == "DOMAIN CONSTRAINT") return "ALTER DOMAIN";
        if (k == "SEQUENCE OWNED BY") return "ALTER SEQUENCE";
        if (k == "REFRESH MATERIALIZED VIEW") return "REFRESH MATERIALIZED VIEW";
        if (k == "COMMENT") return "COMMENT";
        if (k == "SECURITY LABEL") return "SECURITY LABEL";
        if (k == "GRANT") return "GRANT";
        if (k == "ACL") return "REVOKE";
        return "CREATE " + k;
    }

    // What a statement is, before its names are looked at: "CREATE TABLE",
    // "ALTER INDEX", "COMMENT", "GRANT", ...
    std::string shape_of(const Statement& s, std::size_t n) const {
        auto verb = s.word(0);
        if (verb == "CREATE") {
            std::size_t i = 1;
            if (s.at(i, {"OR", "REPLACE"})) i += 2;
            static const std::set<std::string> modifiers = {"UNLOGGED", "UNIQUE", "RECURSIVE", "CONSTRAINT",
                                                            "DEFAULT"};
            while (modifiers.count(s.word(i))) ++i;
            const auto type = object_type(s, i);
            if (type.empty())
                refuse(fmt::format("creates {}, which is not an object of a schema", s.word(i)));
            return "CREATE " + type;
        }
        if (verb == "ALTER") {
            std::size_t i = 1;
            const auto type = object_type(s, i);
            if (type.empty()) refuse(fmt::format("alters {}, which is not an object of a schema", s.word(i)));
            return "ALTER " + type;
        }
        if (verb == "COMMENT" || verb == "GRANT" || verb == "REVOKE") return verb;
        if (verb == "SECURITY" && s.word(1) == "LABEL") return "SECURITY LABEL";
        if (verb == "REFRESH" && s.at(1, {"MATERIALIZED", "VIEW"})) return "REFRESH MATERIALIZED VIEW";
        refuse(fmt::format("runs {} (statement {}), which no dump set entry does",
                           verb.empty() ? s.words[0].text : verb, n + 1));
    }

    void check_names(const Statement& s) const {
        const auto verb = s.word(0);
        if (verb == "CREATE") {
            check_create(s);
        } else if (verb == "ALTER") {
            check_alter(s);
        } else if (verb == "COMMENT") {
            check_comment(s);
        } else if (verb == "SECURITY") {
            check_security_label(s);
        } else if (verb == "GRANT" || verb == "REVOKE") {
            check_grant(s);
        } else {
            std::size_t i = 3;
            if (s.word(i) == "CONCURRENTLY") ++i;
            expect_own_name(s, i);
            if (i + 1 != s.words.size() && !s.at(i + 1, {"WITH", "DATA"}) &&
                !s.at(i + 1, {"WITH", "NO", "DATA"}))
                refuse("holds more than a REFRESH");
        }
    }

    // "ALTER TABLE t {ENABLE [ALWAYS|REPLICA] | DISABLE} TRIGGER|RULE name":
    // the state a trigger or rule was created in (on the table and on its
    // partitions), and nothing else.
    static bool sets_state_of(const Statement& s, const std::string& type) {
        const std::size_t n = s.words.size();
        if (n < 3 || s.word(n - 2) != type || !is_name(s.words[n - 1])) return false;
        std::size_t k = n - 3;
        if (s.word(k) == "ALWAYS" || s.word(k) == "REPLICA") --k;
        return s.word(k) == "ENABLE" || s.word(k) == "DISABLE";
    }

    void check() const {
        const auto statements = split(entry_.sql);
        if (statements.empty()) refuse("is empty");
        // An extension installed in the schema (catalog/extensions_in_schema.cpp)
        // is replayed with search_path = the load schema, so it lands in the
        // copy: exactly CREATE EXTENSION name VERSION 'v' - no SCHEMA, no CASCADE.
        if (entry_.kind == "EXTENSION") {
            const auto& s = statements[0];
            if (statements.size() != 1 || s.words.size() != 5 || !s.at(0, {"CREATE", "EXTENSION"}) ||
                !is_name(s.words[2]) || s.word(3) != "VERSION" || s.words[4].kind != TokenKind::string)
                refuse("is an EXTENSION entry but not exactly CREATE EXTENSION name VERSION 'version'");
            return;
        }
        const auto expected = expected_start();
        std::string created;  // the type of the first statement's CREATE
        for (std::size_t n = 0; n < statements.size(); ++n) {
            const auto& s = statements[n];
            const auto shape = shape_of(s, n);
            if (n == 0) {
                if (shape != expected)
                    refuse(fmt::format("is a {} entry but its statement is {}", entry_.kind, shape));
                if (shape.rfind("CREATE ", 0) == 0) created = shape.substr(7);
            } else {
                // Statements after the first complete the object the entry
                // created: ALTER of the same type (a table's partitions and
                // column settings; a view's column defaults are ALTER TABLE too).
                const bool completes =
                    !created.empty() &&
                    (shape == "ALTER " + created ||
                     (shape == "ALTER TABLE" && (created == "VIEW" || created == "MATERIALIZED VIEW")) ||
                     (shape == "ALTER TABLE" && (created == "TRIGGER" || created == "RULE") &&
                      sets_state_of(s, created)));
                if (!completes)
                    refuse(
                        fmt::format("holds a second statement ({}, statement {}) that does not complete it",
                                    shape, n + 1));
            }
            check_names(s);
        }
    }

private:
    const DdlEntry& entry_;
    const std::string& schema_;
};

void check_default_privileges(const SchemaCatalog& catalog) {
    // Applied with object kind and privilege as written: only those a
    // default privilege can have.
    static const std::map<std::string, std::set<std::string>> kAllowed = {
        {"TABLES", {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"}},
        {"SEQUENCES", {"SELECT", "UPDATE", "USAGE"}},
        {"FUNCTIONS", {"EXECUTE"}},
        {"TYPES", {"USAGE"}}};
    for (const auto& d : catalog.default_privileges) {
        auto it = kAllowed.find(d.object_type);
        if (it == kAllowed.end() || !it->second.count(d.privilege))
            throw Error(
                ErrorKind::untrusted,
                fmt::format("the dump set sets a default privilege '{}' on '{}', which PostgreSQL does "
                            "not have; refusing to run it",
                            d.privilege, d.object_type),
                "the dump set was edited or is not from dbclone: export again");
    }
}

}  // namespace

std::vector<std::string> entry_statements(const std::string& sql) {
    std::vector<std::string> out;
    for (auto& s : split(sql)) out.push_back(std::move(s.text));
    return out;
}

void check_ddl_entry(const DdlEntry& entry, const std::string& schema) {
    Checker(entry, schema).check();
}

void check_dump_set_ddl(const SchemaCatalog& catalog) {
    for (const auto& e : catalog.entries) check_ddl_entry(e, catalog.schema);
    // Schema grants are applied with the privilege as written: only the
    // privileges a schema has.
    for (const auto& g : catalog.schema_grants)
        if (g.privilege != "USAGE" && g.privilege != "CREATE")
            throw Error(
                ErrorKind::untrusted,
                fmt::format("the dump set grants '{}' on its schema, which is not a schema privilege; "
                            "refusing to run it",
                            g.privilege),
                "the dump set was edited or is not from dbclone: export again");
    check_default_privileges(catalog);
}

void exec_entry_sql(Connection& conn, const std::string& sql) {
    // query() sends each statement alone through the extended protocol: the
    // server refuses a message that holds more than one statement.
    const auto statements = entry_statements(sql);
    auto run_all = [&] {
        for (const auto& statement : statements) conn.query(statement);
    };
    // An entry applies whole or not at all, as one simple-protocol message would.
    if (statements.size() > 1 && !conn.in_transaction_block())
        in_transaction(conn, run_all);
    else
        run_all();
}

}  // namespace dbclone::pg
