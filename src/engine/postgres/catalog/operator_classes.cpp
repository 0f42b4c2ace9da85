// Operator families and classes of the schema (sql/operator_classes.sql):
// each family with its loose members, then each class with its members, as
// pre-data entries ordered after the operators and functions they name by
// the dependency graph (sql/dependencies.sql). Creating them takes a
// superuser on the target (target/superuser_kinds.h says so before the
// target is touched).
#include "core/embedded_sql.h"
#include "engine/postgres/catalog/builder.h"

namespace dbclone::pg::detail {

void read_operator_classes(Builder& b) {
    auto r = b.conn.query(std::string(embedded_sql("engine/postgres/catalog/sql/operator_classes.sql")),
                          {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string kind = r.get(i, "kind");
        std::string name = r.get(i, "name");  // "abs_ops USING btree", quoted as needed
        b.pre(kind, name, r.get(i, "definition"), r.get(i, "key"));
        b.comment(kind + " " + name, kind + " " + name, r.get_opt(i, "comment"));
    }
}

}  // namespace dbclone::pg::detail
