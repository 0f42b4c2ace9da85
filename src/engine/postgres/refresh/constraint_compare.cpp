#include "engine/postgres/refresh/constraint_compare.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/refresh/text_array.h"

namespace dbclone::pg {

namespace {

struct Constraint {
    std::string definition;  // pg_get_constraintdef, the table's schema on the search_path
    bool validated = true;
};

// (table, constraint name) -> definition. Names of the schema's own tables
// print unqualified under this search path, so a remapped copy compares equal.
using Constraints = std::map<std::pair<std::string, std::string>, Constraint>;

constexpr const char* kConstraintsSql = R"sql(
SELECT c.relname, k.conname, pg_catalog.pg_get_constraintdef(k.oid) AS def, k.convalidated
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND k.contype IN ('c', 'f', 'p', 'u', 'x')
  AND k.conislocal
)sql";

Constraints read(Connection& conn, const std::string& schema, const std::set<std::string>& tables) {
    Constraints out;
    conn.exec("SET LOCAL search_path = " + quote_ident(schema) + ", pg_catalog");
    auto r = conn.query(kConstraintsSql, {schema, text_array_literal(tables)});
    // Validation state is the load guard's business (NOT VALID ones stay so,
    // a resumed run re-adds keys NOT VALID first): definitions compare without it.
    static const std::string kNotValid = " NOT VALID";
    for (int i = 0; i < r.rows(); ++i) {
        auto def = r.get(i, "def");
        if (def.size() > kNotValid.size() && def.ends_with(kNotValid))
            def.resize(def.size() - kNotValid.size());
        out[{r.get(i, 0), r.get(i, 1)}] = {def, r.get_bool(i, "convalidated")};
    }
    return out;
}

}  // namespace

void compare_constraints(PgRun& run, const std::set<std::string>& tables, PreflightFindings& f) {
    if (!run.source) return;  // an import compares columns only: the dump set's DDL is not re-read here
    Constraints target;
    in_transaction(*run.target, [&] { target = read(*run.target, run.load_schema, tables); });
    // The source holds the snapshot transaction: the search_path change lives
    // in a savepoint that is rolled back.
    auto& s = *run.source;
    Constraints source;
    s.exec("SAVEPOINT dbclone_constraints");
    try {
        source = read(s, run.request.source_schema, tables);
    } catch (...) {
        s.exec("ROLLBACK TO SAVEPOINT dbclone_constraints");
        throw;
    }
    s.exec("ROLLBACK TO SAVEPOINT dbclone_constraints");
    s.exec("RELEASE SAVEPOINT dbclone_constraints");
    for (const auto& [key, c] : source) {
        const auto label =
            fmt::format("constraint {} of {}", quote_ident(key.second), qualify(run.load_schema, key.first));
        auto it = target.find(key);
        // A resumed load reads a target whose keys and NOT VALID checks it
        // dropped itself; they come back from the journal.
        if (it == target.end() && run.request.resume) continue;
        if (it == target.end())
            f.blocking.push_back(
                fmt::format("{} is on the source ({}) but not on the target", label, c.definition));
        else if (it->second.definition != c.definition)
            f.blocking.push_back(fmt::format("{} is {} on the source but {} on the target", label,
                                             c.definition, it->second.definition));
    }
    for (const auto& [key, c] : target) {
        if (source.count(key)) continue;
        const auto label =
            fmt::format("constraint {} of {}", quote_ident(key.second), qualify(run.load_schema, key.first));
        if (!c.validated)
            f.notes.push_back(
                fmt::format("{} ({}) is only on the target; it stays NOT VALID", label, c.definition));
        else
            f.blocking.push_back(fmt::format(
                "{} ({}) is only on the target: the source's rows may not satisfy it", label, c.definition));
    }
}

}  // namespace dbclone::pg
