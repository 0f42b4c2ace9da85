// Schema objects other than relations, types and routines: collations, text
// search dictionaries and configurations, operators, conversions, extended
// statistics; and the check that stops a run on objects dbclone cannot
// recreate.
#include <fmt/format.h>

#include "core/embedded_sql.h"
#include "core/error.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg::detail {

namespace {
std::string sql_file(const char* name) {
    return std::string(embedded_sql(std::string("engine/postgres/catalog/sql/") + name));
}

std::string collation_sql(const Result& r, int i) {
    std::vector<std::string> opts;
    const char provider = r.get(i, "collprovider")[0];
    auto collate = r.get_opt(i, "collcollate").value_or("");
    auto ctype = r.get_opt(i, "collctype").value_or("");
    if (provider == 'i') {
        opts.push_back("provider = icu");
        opts.push_back("locale = " + quote_literal(r.get_opt(i, "icu_locale").value_or(collate)));
        if (auto rules = r.get_opt(i, "icu_rules")) opts.push_back("rules = " + quote_literal(*rules));
    } else if (provider == 'b') {
        opts.push_back("provider = builtin");
        opts.push_back("locale = " + quote_literal(r.get_opt(i, "icu_locale").value_or(collate)));
    } else if (provider == 'c') {
        opts.push_back("provider = libc");
        if (collate == ctype) {
            opts.push_back("locale = " + quote_literal(collate));
        } else {
            opts.push_back("lc_collate = " + quote_literal(collate));
            opts.push_back("lc_ctype = " + quote_literal(ctype));
        }
    } else {
        throw Error(ErrorKind::unsupported,
                    fmt::format("collation {} uses provider '{}', which cannot be created by name",
                                quote_ident(r.get(i, "collname")), provider));
    }
    if (!r.get_bool(i, "collisdeterministic")) opts.push_back("deterministic = false");
    return fmt::format("CREATE COLLATION {} ({})", quote_ident(r.get(i, "collname")), fmt::join(opts, ", "));
}
}  // namespace

void check_supported_objects(Builder& b) {
    auto r = b.conn.query(sql_file("unsupported.sql"), {b.schema});
    if (r.rows() == 0) return;
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) names.push_back(r.get(i, "kind") + " " + r.get(i, "name"));
    throw Error(ErrorKind::unsupported,
                fmt::format("schema {} holds {} object(s) dbclone cannot recreate: {}", quote_ident(b.schema),
                            names.size(), fmt::join(names, ", ")),
                "nothing was written to the target; copy these with pg_dump, or move them out of the schema");
}

void read_collations(Builder& b) {
    auto r = b.conn.query(sql_file("collations.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.get(i, "collname");
        b.pre("COLLATION", name, collation_sql(r, i), "pg_collation:" + r.get(i, "oid"));
        b.comment("COLLATION " + quote_ident(name), "COLLATION " + name, r.get_opt(i, "comment"));
    }
}

void read_text_search(Builder& b) {
    auto r = b.conn.query(sql_file("text_search.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string kind = r.get(i, "kind");
        std::string name = r.get(i, "name");
        b.pre(kind, name, r.get(i, "definition"), r.get(i, "key"));
        b.comment(kind + " " + quote_ident(name), kind + " " + name, r.get_opt(i, "comment"));
    }
}

void read_operators(Builder& b) {
    auto r = b.conn.query(sql_file("operators.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string kind = r.get(i, "kind");
        std::string name = r.get(i, "name");
        b.pre(kind, name, r.get(i, "definition"), r.get(i, "key"));
        std::string object = kind == "OPERATOR" ? name : quote_ident(name);
        b.comment(kind + " " + object, kind + " " + name, r.get_opt(i, "comment"));
    }
}

void read_statistics_objects(Builder& b) {
    auto r = b.conn.query(sql_file("statistics.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.get(i, "stxname");
        std::string q = quote_ident(name);
        // The server always qualifies the names here; the load's schema
        // rewrite (remap/remap.h) points them at the copy.
        std::string sql = r.get(i, "definition");
        if (auto target = r.get_opt(i, "stattarget"))
            sql += fmt::format(";\nALTER STATISTICS {}{} SET STATISTICS {}", r.get(i, "schema_prefix"), q,
                               *target);
        b.post("STATISTICS", name, kStatistics, sql, r.get(i, "table_name"));
        b.comment("STATISTICS " + q, "STATISTICS " + name, r.get_opt(i, "comment"));
    }
}

}  // namespace dbclone::pg::detail
