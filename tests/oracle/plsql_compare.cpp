#include "plsql_compare.h"

#include <cctype>
#include <regex>
#include <sstream>

namespace dbclone::oracle::test {

namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string strip_comments(const std::string& text) {
    std::string out;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\'') quoted = !quoted;
        if (!quoted && c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            while (i < text.size() && text[i] != '\n') ++i;
            out += '\n';
            continue;
        }
        out += c;
    }
    return out;
}

std::vector<std::string> split_statements(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : text) {
        if (c == '\'') quoted = !quoted;
        if (c == ';' && !quoted) {
            out.push_back(cur);
            cur.clear();
            continue;
        }
        cur += c;
    }
    out.push_back(cur);
    return out;
}

bool word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '#';
}

// Whitespace goes, except one blank between two word characters; literals
// are kept as they are.
std::string squeeze(const std::string& s) {
    std::string out;
    bool quoted = false;
    bool pending_space = false;
    for (char c : s) {
        if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
            pending_space = true;
            continue;
        }
        if (pending_space && !out.empty() && word(out.back()) && word(c)) out += ' ';
        pending_space = false;
        if (c == '\'') quoted = !quoted;
        out += c;
    }
    return out;
}

std::string fold_concat(std::string s) {
    for (auto pos = s.find("'||'"); pos != std::string::npos; pos = s.find("'||'")) s.erase(pos, 4);
    return s;
}

std::string unquote_identifiers(const std::string& s) {
    static const std::regex ident("\"([A-Z][A-Z0-9_$#]*)\"");
    return std::regex_replace(s, ident, "$1");
}

// Every match of `re` replaced by `value` taken literally ($ is not special).
std::string replace_literal(const std::string& s, const std::regex& re, const std::string& value) {
    std::string out;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
        out += s.substr(last, static_cast<std::size_t>(it->position()) - last) + value;
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    return out + s.substr(last);
}

std::string escape_regex(const std::string& s) {
    static const std::string special = R"(\^$.|?*+()[]{}/)";
    std::string out;
    for (char c : s) {
        if (special.find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string pattern_of(const std::string& runbook_statement) {
    std::string out;
    std::size_t i = 0;
    while (i < runbook_statement.size()) {
        auto lt = runbook_statement.find('<', i);
        if (lt == std::string::npos) {
            out += escape_regex(runbook_statement.substr(i));
            break;
        }
        auto gt = runbook_statement.find('>', lt);
        if (gt == std::string::npos) {
            out += escape_regex(runbook_statement.substr(i));
            break;
        }
        out += escape_regex(runbook_statement.substr(i, lt - i)) + ".*?";
        i = gt + 1;
    }
    return out;
}

}  // namespace

std::map<std::string, std::vector<std::string>> runbook_blocks(const std::string& text) {
    std::map<std::string, std::vector<std::string>> blocks;
    static const std::regex heading(R"(^([0-9]+(\.[0-9]+)?)\.?\s+\S.*)");
    std::istringstream in(text);
    std::string line, section, block;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::smatch m;
        if (!inside && std::regex_match(line, m, heading)) section = m[1].str();
        if (!inside && (line.rfind("BEGIN", 0) == 0 || line.rfind("DECLARE", 0) == 0)) {
            inside = true;
            block.clear();
        }
        if (inside) {
            if (trim(line) == "/") {
                blocks[section].push_back(block);
                inside = false;
            } else {
                block += line + "\n";
            }
            continue;
        }
        if (line.rfind("CREATE USER ", 0) == 0 || line.rfind("GRANT ", 0) == 0)
            blocks[section].push_back(line);
    }
    return blocks;
}

std::vector<PlannedStatement> parse_detail(const std::string& detail) {
    std::vector<PlannedStatement> out;
    std::istringstream in(detail);
    std::string line;
    PlannedStatement cur;
    std::vector<std::pair<std::string, std::string>> literal_binds;
    static const std::regex bind_line(R"(^-- :(\w+) = (.*)$)");
    auto finish = [&] {
        // Longest names first so that :log_file does not eat :log_file_x.
        for (const auto& [name, literal] : literal_binds) {
            if (literal == "(out)") continue;
            std::string value = literal == "<secret>" ? "'<secret>'" : literal;
            cur.text = replace_literal(cur.text, std::regex(":" + name + "\\b"), value);
        }
        out.push_back(cur);
        cur = {};
        literal_binds.clear();
    };
    while (std::getline(in, line)) {
        std::smatch m;
        if (line == "/") {
            finish();
        } else if (std::regex_match(line, m, bind_line)) {
            std::string literal = m[2].str();
            std::string raw = literal;
            if (raw.size() >= 2 && raw.front() == '\'' && raw.back() == '\'') {
                raw = raw.substr(1, raw.size() - 2);
                for (auto pos = raw.find("''"); pos != std::string::npos; pos = raw.find("''", pos + 1))
                    raw.erase(pos, 1);
            }
            cur.binds[m[1].str()] = raw;
            literal_binds.emplace_back(m[1].str(), literal);
        } else {
            cur.text += line + "\n";
        }
    }
    return out;
}

std::vector<std::string> normalize(const std::string& block) {
    std::vector<std::string> statements;
    for (auto s : split_statements(strip_comments(block))) {
        s = squeeze(unquote_identifiers(trim(s)));
        for (bool again = true; again;) {
            again = false;
            for (const char* kw : {"DECLARE ", "BEGIN "})
                if (s.rfind(kw, 0) == 0) {
                    s = s.substr(std::string(kw).size());
                    again = true;
                }
        }
        if (s == "BEGIN" || s == "DECLARE") continue;
        static const std::regex if_then(R"(^(IF .*? THEN) (.*)$)");
        std::smatch m;
        if (std::regex_match(s, m, if_then)) {
            statements.push_back(m[1].str());
            s = m[2].str();
        }
        if (!s.empty()) statements.push_back(s);
    }
    // Inline NAME CONSTANT TYPE := EXPR into the statements after it.
    std::vector<std::string> out;
    std::vector<std::pair<std::string, std::string>> constants;
    static const std::regex constant(R"(^(\w+) CONSTANT [A-Z0-9_]+(\([0-9]+\))?:=(.*)$)");
    for (auto s : statements) {
        for (const auto& [name, expr] : constants)
            s = replace_literal(s, std::regex("\\b" + name + "\\b"), expr);
        std::smatch m;
        if (std::regex_match(s, m, constant)) {
            constants.emplace_back(m[1].str(), m[3].str());
            continue;
        }
        out.push_back(unquote_identifiers(fold_concat(s)));
    }
    return out;
}

std::string compare(const std::string& runbook_block, const std::string& plan_block,
                    const std::vector<Deviation>& deviations, const std::vector<Addition>& additions) {
    std::vector<std::string> expected;
    for (auto r : normalize(runbook_block)) {
        bool dropped = false;
        for (const auto& d : deviations)
            if (d.runbook == r) {
                if (d.replacement.empty()) dropped = true;
                r = d.replacement;
            }
        if (!dropped) expected.push_back(r);
    }
    auto planned = normalize(plan_block);
    auto allowed = [&](const std::string& s) {
        for (const auto& a : additions)
            if (std::regex_match(s, std::regex(a.pattern))) return true;
        return false;
    };
    std::size_t j = 0;
    for (const auto& r : expected) {
        std::regex want(pattern_of(r));
        while (j < planned.size() && !std::regex_match(planned[j], want)) {
            if (!allowed(planned[j]))
                return "plan statement not in the runbook (and not an allowed addition):\n  " + planned[j] +
                       "\nwhile looking for runbook statement:\n  " + r;
            ++j;
        }
        if (j == planned.size()) return "runbook statement missing from the plan:\n  " + r;
        ++j;
    }
    for (; j < planned.size(); ++j)
        if (!allowed(planned[j])) return "plan statement after the runbook's last one:\n  " + planned[j];
    return {};
}

}  // namespace dbclone::oracle::test
