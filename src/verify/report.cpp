#include "verify/report.h"

#include <fmt/format.h>

#include <map>
#include <sstream>

namespace dbclone {

std::string_view status_name(CheckStatus status) {
    switch (status) {
        case CheckStatus::pass:
            return "pass";
        case CheckStatus::fail:
            return "FAIL";
        case CheckStatus::warn:
            return "warn";
        case CheckStatus::info:
            return "info";
    }
    return "?";
}

std::size_t Report::count(CheckStatus status) const {
    std::size_t n = 0;
    for (const auto& c : checks_)
        if (c.status == status) ++n;
    return n;
}

std::string Report::to_text(bool verbose) const {
    std::ostringstream out;
    out << fmt::format("{}: {} passed, {} failed, {} warnings\n", title_, count(CheckStatus::pass),
                       count(CheckStatus::fail), count(CheckStatus::warn));
    std::map<std::string, std::pair<std::size_t, std::size_t>> per_category;  // pass, total
    for (const auto& c : checks_) {
        auto& [pass, total] = per_category[c.category];
        ++total;
        if (c.status == CheckStatus::pass) ++pass;
        if (c.status != CheckStatus::pass || verbose)
            out << fmt::format("  {:<4} {:<16} {}: {}\n", status_name(c.status), c.category, c.name,
                               c.evidence);
    }
    for (const auto& [category, counts] : per_category)
        out << fmt::format("  {:<16} {}/{} pass\n", category, counts.first, counts.second);
    return out.str();
}

nlohmann::json Report::to_json() const {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : checks_)
        checks.push_back(
            {{"category", c.category},
             {"name", c.name},
             {"status", std::string(status_name(c.status)) == "FAIL" ? "fail" : status_name(c.status)},
             {"evidence", c.evidence}});
    return {{"title", title_},
            {"passed", count(CheckStatus::pass)},
            {"failed", count(CheckStatus::fail)},
            {"warnings", count(CheckStatus::warn)},
            {"ok", !has_failures()},
            {"checks", checks}};
}

}  // namespace dbclone
