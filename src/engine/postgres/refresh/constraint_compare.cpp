#include "engine/postgres/refresh/constraint_compare.h"

#include <fmt/format.h>
#include <unistd.h>

#include <map>
#include <utility>

#include "core/error.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/refresh/text_array.h"
#include "engine/postgres/target/ddl_guard.h"
#include "engine/postgres/target/remap_entries.h"

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

// `also_visible`: a schema whose objects print unqualified too (the load
// schema, when the constraints were created in a scratch schema beside it).
Constraints read(Connection& conn, const std::string& schema, const std::set<std::string>& tables,
                 const std::string& also_visible = {}) {
    Constraints out;
    conn.exec("SET LOCAL search_path = " + quote_ident(schema) +
              (also_visible.empty() ? "" : ", " + quote_ident(also_visible)) + ", pg_catalog");
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

// An import has no source server to ask: the dump set's constraints as this
// target server prints them. Its tables and their constraints are created
// from the dump set's DDL in a scratch schema, in one transaction that is
// rolled back (nothing is left behind); the load schema is on the
// search_path behind it, so the types, functions and sequences the tables
// use are the target's own. Comparing what one server prints for both sides
// compares meaning, not the dump's server's spelling.
// Error(unsupported) when the dump set's DDL cannot be created that way.
Constraints rehearse_dump_set_constraints(PgRun& run, const std::set<std::string>& tables) {
    auto& t = *run.target;
    const std::string scratch = fmt::format("dbclone_constraints_{}", getpid());
    std::set<std::string> created;
    Constraints out;
    t.exec("BEGIN");
    try {
        t.exec("CREATE SCHEMA " + quote_ident(scratch));
        t.exec(fmt::format("SET LOCAL search_path = {}, {}, pg_catalog", quote_ident(scratch),
                           quote_ident(run.load_schema)));
        t.exec("SET LOCAL check_function_bodies = off");
        // Every table of the set (a partition needs its parent, a key its
        // referenced table), then the constraints of those that load.
        for (const auto& e : run.catalog.entries) {
            if (e.kind != "TABLE") continue;
            exec_entry_sql(t, remapped_sql(run, e, run.load_schema));
            created.insert(e.name);
        }
        // Not a partition's own key: on the target it is attached to its
        // parent's (not local, so not compared), here it would stay local.
        for (Section section : {Section::pre_data, Section::post_data})
            for (const auto& e : run.catalog.entries)
                if (e.section == section && (e.kind == "CONSTRAINT" || e.kind == "FK CONSTRAINT") &&
                    e.group != detail::kChildKeyConstraint && created.count(e.table))
                    exec_entry_sql(t, remapped_sql(run, e, run.load_schema));
        out = read(t, scratch, tables, run.load_schema);
    } catch (const Error& e) {
        t.rollback_quietly();
        throw Error(ErrorKind::unsupported,
                    fmt::format("the dump set's tables and constraints cannot be created beside schema {} "
                                "to compare them with the target's: {}",
                                quote_ident(run.load_schema), e.message()));
    } catch (...) {
        t.rollback_quietly();
        throw;
    }
    t.rollback_quietly();
    return out;
}

Constraints read_source_constraints(PgRun& run, const std::set<std::string>& tables) {
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
    return source;
}

}  // namespace

void compare_constraints(PgRun& run, const std::set<std::string>& tables, PreflightFindings& f) {
    Constraints source;
    if (run.source) {
        source = read_source_constraints(run, tables);
    } else {
        try {
            source = rehearse_dump_set_constraints(run, tables);
        } catch (const Error& e) {
            f.blocking.push_back(e.message());
            return;
        }
    }
    const std::string from = run.source ? "on the source" : "in the dump set";
    Constraints target;
    in_transaction(*run.target, [&] { target = read(*run.target, run.load_schema, tables); });
    for (const auto& [key, c] : source) {
        const auto label =
            fmt::format("constraint {} of {}", quote_ident(key.second), qualify(run.load_schema, key.first));
        auto it = target.find(key);
        // A resumed load reads a target whose keys and NOT VALID checks it
        // dropped itself; they come back from the journal.
        if (it == target.end() && run.request.resume) continue;
        if (it == target.end())
            f.blocking.push_back(
                fmt::format("{} is {} ({}) but not on the target", label, from, c.definition));
        else if (it->second.definition != c.definition)
            f.blocking.push_back(fmt::format("{} is {} {} but {} on the target", label, c.definition, from,
                                             it->second.definition));
    }
    for (const auto& [key, c] : target) {
        if (source.count(key)) continue;
        const auto label =
            fmt::format("constraint {} of {}", quote_ident(key.second), qualify(run.load_schema, key.first));
        if (!c.validated)
            f.notes.push_back(
                fmt::format("{} ({}) is only on the target; it stays NOT VALID", label, c.definition));
        else
            f.blocking.push_back(fmt::format("{} ({}) is only on the target: the {} rows may not satisfy it",
                                             label, c.definition, run.source ? "source's" : "dump set's"));
    }
}

}  // namespace dbclone::pg
