#include "core/embedded_sql.h"

#include "core/error.h"

namespace dbclone {

std::string_view embedded_sql(std::string_view path) {
    const auto& files = embedded_sql_files();
    auto it = files.find(std::string(path));
    if (it == files.end()) throw Error(ErrorKind::internal, "no embedded SQL file " + std::string(path));
    return it->second;
}

}  // namespace dbclone
