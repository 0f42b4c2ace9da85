// SQL and PL/SQL templates are kept in src/**/*.sql and compiled in
// (cmake/embed_sql.cmake), so the binary is self-contained.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace dbclone {

const std::map<std::string, std::string_view>& embedded_sql_files();

// The text of src/<path>; throws Error(internal) when no such file was embedded.
std::string_view embedded_sql(std::string_view path);

}  // namespace dbclone
