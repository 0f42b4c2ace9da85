#include "engine/postgres/data/committed_parts.h"

#include <fmt/format.h>

#include "core/log.h"

namespace dbclone::pg {

bool forget_unjournaled_parts(Connection& target, Journal& journal, const std::string& qualified,
                              const std::string& table_key, std::size_t parts) {
    std::uint64_t journaled_rows = 0;
    std::size_t journaled = 0;
    for (std::size_t i = 0; i < parts; ++i)
        if (auto done = journal.done_detail(fmt::format("part:{}:{}", table_key, i))) {
            journaled_rows += done->value("rows", std::uint64_t{0});
            ++journaled;
        }
    if (journaled == parts) return false;  // nothing left to load
    std::uint64_t found = 0;
    in_transaction(target, [&] {
        // The process that died may have left a part's transaction still
        // committing on the server (it finishes a COMMIT it received): the
        // SHARE lock waits for every writer of the table to end, so the count
        // sees what that transaction left.
        target.exec("LOCK TABLE " + qualified + " IN SHARE MODE");
        found = std::stoull(target.query("SELECT count(*) FROM " + qualified).get(0, 0));
    });
    if (found == journaled_rows) return false;
    log::warn(
        "table {} holds {} rows, its {} journaled parts {}: a part committed without being journaled; "
        "emptying the table and loading every part again",
        qualified, found, journaled, journaled_rows);
    // Forgotten first: a crash before the TRUNCATE leaves rows and no parts,
    // which the next resume finds the same way.
    journal.forget_prefix("part:" + table_key + ":");
    target.exec("TRUNCATE ONLY " + qualified);
    return true;
}

}  // namespace dbclone::pg
