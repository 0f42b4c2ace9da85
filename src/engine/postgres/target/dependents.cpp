#include "engine/postgres/target/dependents.h"

#include <fmt/format.h>

#include "core/embedded_sql.h"
#include "core/error.h"
#include "core/log.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/refresh/text_array.h"

namespace dbclone::pg {

std::vector<std::string> outside_dependents(Connection& target, const std::string& schema,
                                            const std::set<std::string>& tables) {
    if (tables.empty()) return {};
    auto r = target.query(std::string(embedded_sql("engine/postgres/target/sql/dependents.sql")),
                          {schema, text_array_literal(tables)});
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.get(i, 0) + " " + r.get(i, 1));
    return out;
}

void stop_on_outside_dependents(Connection& target, const std::string& schema,
                                const std::set<std::string>& tables, bool allowed) {
    const auto found = outside_dependents(target, schema, tables);
    if (found.empty()) return;
    const auto list = fmt::format("{}", fmt::join(found, ", "));
    if (allowed) {
        log::warn("--drop-dependents: replacing the tables of schema {} also drops {}", quote_ident(schema),
                  list);
        return;
    }
    throw Error(
        ErrorKind::dependents,
        fmt::format("replacing the tables of schema {} would drop objects of other schemas that depend "
                    "on them: {}",
                    quote_ident(schema), list),
        "drop or change those objects first, or pass --drop-dependents to drop them with the tables "
        "(they are not recreated)");
}

}  // namespace dbclone::pg
