# Turns every src/**/*.sql into a string in one generated translation unit,
# looked up at run time by its path relative to src/ (see core/embedded_sql.h).
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/*.sql)
list(SORT files)
set(body "#include \"core/embedded_sql.h\"\n#include <map>\n#include <string>\nnamespace dbclone {\nconst std::map<std::string, std::string_view>& embedded_sql_files() {\n  static const std::map<std::string, std::string_view> files = {\n")
foreach(f ${files})
  file(READ ${ROOT}/${f} content)
  # A raw string literal with a delimiter that no SQL file contains.
  string(APPEND body "    {\"${f}\", R\"dbclone_sql(${content})dbclone_sql\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n}  // namespace dbclone\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
