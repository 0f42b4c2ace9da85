// The verification report shared by every engine: a list of checks, each
// pass/fail/warn/info with its evidence, printed as text or JSON. A report
// with any failure makes the command exit with verify_mismatch.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dbclone {

enum class CheckStatus { pass, fail, warn, info };

struct Check {
    std::string category;  // "objects", "rows", "checksums", "invalid objects", "jobs" ...
    std::string name;      // what was checked: an object name or a checklist item
    CheckStatus status = CheckStatus::pass;
    std::string evidence;  // what was seen: "source 200 rows, target 200 rows"
};

class Report {
public:
    explicit Report(std::string title = "verification") : title_(std::move(title)) {}

    void add(Check check) { checks_.push_back(std::move(check)); }
    void add(std::string category, std::string name, CheckStatus status, std::string evidence) {
        checks_.push_back({std::move(category), std::move(name), status, std::move(evidence)});
    }
    const std::vector<Check>& checks() const { return checks_; }
    std::size_t count(CheckStatus status) const;
    bool has_failures() const { return count(CheckStatus::fail) > 0; }
    bool empty() const { return checks_.empty(); }
    void set_title(std::string title) { title_ = std::move(title); }

    // Text: a summary line, then failures and warnings in full, passes
    // grouped per category unless verbose.
    std::string to_text(bool verbose = false) const;
    nlohmann::json to_json() const;

private:
    std::string title_;
    std::vector<Check> checks_;
};

std::string_view status_name(CheckStatus status);

}  // namespace dbclone
