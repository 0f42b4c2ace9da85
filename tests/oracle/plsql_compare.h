// Test helpers that compare PL/SQL "statement by statement, whitespace
// insensitive": the runbook's blocks (with <placeholders>) against the blocks
// `dbclone plan` prints (with their binds substituted).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace dbclone::oracle::test {

// Runbook blocks by section number ("6.1"): PL/SQL blocks from a BEGIN or
// DECLARE line to the "/" line, and CREATE USER / GRANT lines.
std::map<std::string, std::vector<std::string>> runbook_blocks(const std::string& text);

// One statement chunk of a step's detail: text with the binds substituted as
// literals (out binds left as :name), and the bind values by name.
struct PlannedStatement {
    std::string text;
    std::map<std::string, std::string> binds;  // raw values, quotes undone
};
std::vector<PlannedStatement> parse_detail(const std::string& detail);

// Statements of a block: comments stripped, split at ';', whitespace removed
// except between words, leading BEGIN/DECLARE dropped, "IF c THEN s" split,
// literal concatenation folded, CONSTANT declarations inlined, simple quoted
// identifiers unquoted.
std::vector<std::string> normalize(const std::string& block);

struct Deviation {
    std::string runbook;      // normalized runbook statement
    std::string replacement;  // normalized plan statement, "" = dropped on purpose
    std::string why;
};

struct Addition {
    std::string pattern;  // regex over a normalized plan statement
    std::string why;
};

// Empty when every runbook statement (placeholders <...> match anything) is
// found in order in the plan, and every other plan statement is an allowed
// addition; otherwise a description of the first difference.
std::string compare(const std::string& runbook_block, const std::string& plan_block,
                    const std::vector<Deviation>& deviations, const std::vector<Addition>& additions);

}  // namespace dbclone::oracle::test
