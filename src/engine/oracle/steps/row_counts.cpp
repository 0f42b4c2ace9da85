#include "engine/oracle/steps/row_counts.h"

#include <fmt/format.h>

#include "engine/oracle/steps/oracle_steps.h"

namespace dbclone::oracle {

std::optional<TableCounts> journaled_counts(const Journal& journal, const std::string& key) {
    auto v = journal.get(key);
    if (!v || !v->is_object()) return std::nullopt;
    TableCounts out;
    for (const auto& [table, n] : v->items())
        if (n.is_number_integer()) out[table] = n.get<std::int64_t>();
    return out;
}

std::optional<TableCounts> live_counts(OrdsClient& db, const std::string& schema, const std::string& side,
                                       Report& report) {
    try {
        TableCounts out;
        for (const auto& r : db.query(query("row_counts.sql", {in("schema", schema)})))
            out[text(r, "table_name")] = static_cast<std::int64_t>(std::stoll(text(r, "row_count")));
        return out;
    } catch (const std::exception& e) {
        report.add("rows", "live row counts on the " + side, CheckStatus::warn,
                   std::string("could not be taken: ") + e.what());
        return std::nullopt;
    }
}

void compare_counts(Report& report, const TableCounts& expected, const std::string& expected_what,
                    const TableCounts& actual, const std::string& actual_what, CheckStatus on_difference) {
    for (const auto& [table, n] : expected) {
        auto it = actual.find(table);
        if (it == actual.end()) {
            report.add("rows", table, on_difference,
                       fmt::format("{} {} rows; table missing from the {}", expected_what, n, actual_what));
            continue;
        }
        report.add("rows", table, it->second == n ? CheckStatus::pass : on_difference,
                   fmt::format("{} {} rows, {} {} rows", expected_what, n, actual_what, it->second));
    }
    for (const auto& [table, n] : actual)
        if (!expected.count(table))
            report.add("rows", table, CheckStatus::warn,
                       fmt::format("only in the {} ({} rows), not in the {}", actual_what, n, expected_what));
}

void verify_row_counts(OracleRun& run, const Journal& journal, Report& report) {
    const auto& o = run.options();
    if (auto dump = journaled_counts(journal, "export.rows")) {
        if (auto imported = journaled_counts(journal, "import.rows")) {
            compare_counts(report, *dump, "dump (export log)", *imported, "import log", CheckStatus::fail);
            return;
        }
        if (auto live = live_counts(run.target(), o.target_schema, "target", report))
            compare_counts(report, *dump, "dump (export log)", *live, "target (live count)",
                           CheckStatus::fail);
        return;
    }
    // No dump of this run: both sides live. The source may have changed since
    // the clone, so a difference is a warning, not a failure.
    auto source = live_counts(run.source(), o.source_schema, "source", report);
    auto target = live_counts(run.target(), o.target_schema, "target", report);
    if (source && target)
        compare_counts(report, *source, "source (live count, may have changed since the clone)", *target,
                       "target (live count)", CheckStatus::warn);
}

}  // namespace dbclone::oracle
