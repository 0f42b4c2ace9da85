// Finds object-identifier values (regclass, regtype, regproc, ... columns)
// in the schema's tables that name the schema's own objects. Such a value is
// an OID: COPY prints it as the source's qualified name, which a target
// (into its staging schema, or under another name) reads back as the
// *source* schema's object (same database) or fails on (another database),
// and rewriting names inside rows is not dbclone's to guess: such a load is
// refused (target/load_preflight).
// Values naming objects elsewhere (pg_catalog, another schema) copy as they
// are. Reads only columns of these types, inside the run's snapshot.
#include <fmt/format.h>

#include <vector>

#include "core/embedded_sql.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg::detail {

void find_rows_naming_schema(Builder& b) {
    auto cols =
        b.conn.query(std::string(embedded_sql("engine/postgres/catalog/sql/reg_columns.sql")), {b.schema});
    std::vector<std::string> naming_schema;
    for (int i = 0; i < cols.rows(); ++i) {
        const auto table = cols.get(i, "relname");
        const auto column = cols.get(i, "attname");
        const auto where = cols.get(i, "where_schema");  // "pg_class.relnamespace"
        const auto dot = where.find('.');
        const auto catalog = where.substr(0, dot);
        const auto nsp_column = where.substr(dot + 1);
        const auto value =
            cols.get_bool(i, "is_array") ? std::string("v.oid") : fmt::format("t.{}", quote_ident(column));
        const auto from = cols.get_bool(i, "is_array") ? fmt::format("{} t, unnest(t.{}) AS v(oid)",
                                                                     quote_ident(table), quote_ident(column))
                                                       : quote_ident(table) + " t";
        auto n = b.conn.query(
            fmt::format("SELECT count(*) FROM {} JOIN pg_catalog.{} o ON o.oid = {} "
                        "WHERE o.{} = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1)",
                        from, catalog, value, nsp_column),
            {b.schema});
        if (n.get(0, 0) != "0")
            naming_schema.push_back(
                fmt::format("{}.{} ({}, {} value(s))", table, column, cols.get(i, "type"), n.get(0, 0)));
    }
    b.catalog.rows_naming_schema = std::move(naming_schema);
}

}  // namespace dbclone::pg::detail
