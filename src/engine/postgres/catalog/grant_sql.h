// The one way GRANT statements are written (table, column and schema
// privileges alike): "GRANT <privileges> ON <object> TO <role>[ WITH GRANT OPTION]".
#pragma once

#include <string>

namespace dbclone::pg {

// `grantee` is a role name as the catalog gives it; PUBLIC stays a keyword,
// any other name is quoted. `object_sql` is already SQL ("TABLE s.t", "SCHEMA s").
std::string grant_sql(const std::string& privileges, const std::string& object_sql,
                      const std::string& grantee, bool grantable);

// The grantee as SQL: PUBLIC, or the quoted role name.
std::string grantee_sql(const std::string& grantee);

}  // namespace dbclone::pg
