#include "engine/oracle/row_counts.h"

#include <fmt/format.h>

#include <map>

#include "engine/oracle/oracle_steps.h"

namespace dbclone::oracle {

void compare_row_counts(OracleRun& run, Report& report) {
    const auto& o = run.options();
    std::map<std::string, double> source, target;
    for (const auto& r : run.source().query(query("row_counts.sql", {in("schema", o.source_schema)})))
        source[text(r, "table_name")] = number(r, "row_count");
    for (const auto& r : run.target().query(query("row_counts.sql", {in("schema", o.target_schema)})))
        target[text(r, "table_name")] = number(r, "row_count");
    for (const auto& [table, n] : source) {
        auto it = target.find(table);
        if (it == target.end()) {
            report.add("rows", table, CheckStatus::fail,
                       fmt::format("source {:.0f} rows, table missing on target", n));
            continue;
        }
        report.add("rows", table, it->second == n ? CheckStatus::pass : CheckStatus::fail,
                   fmt::format("source {:.0f} rows, target {:.0f} rows", n, it->second));
    }
    for (const auto& [table, n] : target)
        if (!source.count(table))
            report.add("rows", table, CheckStatus::warn, fmt::format("only on target ({:.0f} rows)", n));
}

}  // namespace dbclone::oracle
