#include "engine/postgres/catalog/grant_sql.h"

#include <fmt/format.h>

#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

std::string grantee_sql(const std::string& grantee) {
    return grantee == "PUBLIC" ? "PUBLIC" : quote_ident(grantee);
}

std::string grant_sql(const std::string& privileges, const std::string& object_sql,
                      const std::string& grantee, bool grantable) {
    return fmt::format("GRANT {} ON {} TO {}{}", privileges, object_sql, grantee_sql(grantee),
                       grantable ? " WITH GRANT OPTION" : "");
}

}  // namespace dbclone::pg
