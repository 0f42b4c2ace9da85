// Extensions whose objects live in the copied schema: one pre-data entry
// each, `CREATE EXTENSION name VERSION v`, replayed with search_path = the
// load schema so the extension lands in the copy (the readers of the other
// kinds leave extension members out). An extension exists once per
// database: target/load_preflight.h refuses a target that already has it.
#include <fmt/format.h>

#include "core/embedded_sql.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg::detail {

void read_extensions(Builder& b) {
    auto r =
        b.conn.query(std::string(embedded_sql("engine/postgres/catalog/sql/extensions.sql")), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        const auto name = r.get(i, "extname");
        b.pre("EXTENSION", name,
              fmt::format("CREATE EXTENSION {} VERSION {}", quote_ident(name),
                          quote_literal(r.get(i, "extversion"))),
              "pg_extension:" + r.get(i, "oid"));
        b.comment("EXTENSION " + quote_ident(name), "EXTENSION " + name, r.get_opt(i, "comment"));
    }
}

}  // namespace dbclone::pg::detail
