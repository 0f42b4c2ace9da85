#include "engine/oracle/datapump_log.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

#include "core/ascii.h"

namespace dbclone::oracle {

namespace {

constexpr auto npos = std::string_view::npos;

// ORA-, PLS- or KUP- and five digits, anywhere in the line.
bool has_error_code(std::string_view line) {
    for (auto dash = line.find('-'); dash != npos; dash = line.find('-', dash + 1)) {
        if (dash < 3) continue;
        const auto code = line.substr(dash - 3, 3);
        if (code != "ORA" && code != "PLS" && code != "KUP") continue;
        if (line.size() - dash > 5 && ascii::all_of(line.substr(dash + 1, 5), ascii::is_digit)) return true;
    }
    return false;
}

// A non-empty "NAME" at `at`: the name, `at` moved past its closing quote.
std::optional<std::string_view> quoted(std::string_view line, std::size_t& at) {
    if (at >= line.size() || line[at] != '"') return std::nullopt;
    const auto end = line.find('"', at + 1);
    if (end == npos || end == at + 1) return std::nullopt;
    const auto name = line.substr(at + 1, end - at - 1);
    at = end + 1;
    return name;
}

// The first "N rows" after `at` that starts and ends a word, looked for up to
// a line break; its N.
std::optional<std::int64_t> row_count(std::string_view line, std::size_t at) {
    auto end = line.find_first_of("\r\n", at);
    if (end == npos) end = line.size();
    for (auto p = at; p < end; ++p) {
        if (!ascii::is_digit(line[p]) || ascii::is_word(line[p - 1])) continue;
        auto q = p;
        while (q < line.size() && ascii::is_digit(line[q])) ++q;
        if (line.substr(q, 5) != " rows" || (q + 5 < line.size() && ascii::is_word(line[q + 5]))) continue;
        return std::stoll(std::string(line.substr(p, q - p)));
    }
    return std::nullopt;
}

// . . exported "OWNER"."TABLE":"PARTITION"   5.093 KB   12 rows [in 1 seconds ...]
// (blanks before; "imported" too; up to two partition names): the table and N.
std::optional<std::pair<std::string, std::int64_t>> row_line(std::string_view line) {
    std::size_t at = 0;
    while (at < line.size() && ascii::is_space(line[at])) ++at;
    const auto rest = line.substr(at);
    if (!rest.starts_with(". . exported ") && !rest.starts_with(". . imported ")) return std::nullopt;
    at += std::string_view(". . exported ").size();
    if (!quoted(line, at) || at >= line.size() || line[at] != '.') return std::nullopt;
    ++at;
    const auto table = quoted(line, at);
    if (!table) return std::nullopt;
    for (int part = 0; part < 2 && at < line.size() && line[at] == ':'; ++part) {
        ++at;
        if (!quoted(line, at)) return std::nullopt;
    }
    if (at >= line.size() || !ascii::is_space(line[at])) return std::nullopt;
    const auto rows = row_count(line, at + 1);
    if (!rows) return std::nullopt;
    return std::make_pair(std::string(*table), *rows);
}

// "completed with N error" anywhere in the line.
bool completed_with_errors(std::string_view line) {
    constexpr std::string_view head = "completed with ";
    for (auto at = line.find(head); at != npos; at = line.find(head, at + 1)) {
        auto end = at + head.size();
        while (end < line.size() && ascii::is_digit(line[end])) ++end;
        if (end > at + head.size() && line.substr(end, 6) == " error") return true;
    }
    return false;
}

}  // namespace

DatapumpLog parse_datapump_log(const std::string& text) {
    DatapumpLog v;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        v.last_line = line;
        if (auto rows = row_line(line)) v.rows[rows->first] += rows->second;
        if (has_error_code(line)) v.errors.push_back(line);
    }
    v.success = v.last_line.find("successfully completed") != std::string::npos;
    v.with_errors = completed_with_errors(v.last_line);
    return v;
}

std::vector<std::string> unexpected_import_errors(const DatapumpLog& log, const std::string& target_schema) {
    std::vector<std::string> out;
    const std::string user_exists = "ORA-31684: Object type USER:\"" + target_schema + "\" already exists";
    for (const auto& e : log.errors) {
        if (e.find(user_exists) != std::string::npos) continue;
        if (e.find("ORA-39082:") != std::string::npos) continue;
        out.push_back(e);
    }
    return out;
}

std::string dump_versions_note(const DumpVersions& v) {
    return "dbclone: dump version " + v.dump_version + "; source database " + v.source_version +
           ", COMPATIBLE " + v.source_compatible + ", APEX " + v.source_apex;
}

std::optional<DumpVersions> parse_dump_versions(const std::string& log_text) {
    // The line dump_versions_note writes: "dbclone: dump version V; source
    // database S, COMPATIBLE C, APEX A" (V and C digits and dots).
    const std::string_view text(log_text);
    const auto version = [](std::string_view s) {
        return !s.empty() && ascii::is_digit(s.front()) &&
               ascii::all_of(s, [](char c) { return ascii::is_digit(c) || c == '.'; });
    };
    for (std::size_t at = text.find("dbclone: dump version "); at != std::string_view::npos;
         at = text.find("dbclone: dump version ", at + 1)) {
        auto rest = text.substr(at + 22);
        const auto line_end = rest.find_first_of("\r\n");
        rest = rest.substr(0, line_end);
        const auto semi = rest.find("; source database ");
        if (semi == std::string_view::npos) continue;
        const auto dump = rest.substr(0, semi);
        rest = rest.substr(semi + 18);
        const auto comma = rest.find(", COMPATIBLE ");
        if (comma == std::string_view::npos) continue;
        const auto source = rest.substr(0, comma);
        rest = rest.substr(comma + 13);
        const auto apex_at = rest.find(", APEX ");
        if (apex_at == std::string_view::npos) continue;
        const auto compatible = rest.substr(0, apex_at);
        auto apex = rest.substr(apex_at + 7);
        apex = apex.substr(0, std::min(apex.size(), apex.find_first_of(" \t;,")));
        if (!version(dump) || !version(compatible) || source.find(',') != std::string_view::npos) continue;
        return DumpVersions{std::string(dump), std::string(source), std::string(compatible),
                            std::string(apex)};
    }
    return std::nullopt;
}

}  // namespace dbclone::oracle
