// The extensions a schema depends on (catalog/sql/extension_dependencies.sql).
#include "core/embedded_sql.h"
#include "engine/postgres/catalog/builder.h"

namespace dbclone::pg::detail {

void read_extension_uses(Builder& b) {
    auto r = b.conn.query(std::string(embedded_sql("engine/postgres/catalog/sql/extension_dependencies.sql")),
                          {b.schema});
    for (int i = 0; i < r.rows(); ++i)
        b.catalog.extensions.push_back({r.get(i, "name"), r.get(i, "schema"), r.get(i, "version")});
}

}  // namespace dbclone::pg::detail
