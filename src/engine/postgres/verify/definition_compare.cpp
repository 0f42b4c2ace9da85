#include "engine/postgres/verify/definition_compare.h"

#include <regex>

namespace dbclone::pg {

std::string comparable_definition(const DdlEntry& entry) {
    std::string sql = entry.sql;
    if (entry.kind == "PROCEDURE" || entry.kind == "FUNCTION") {
        // "(IN p bigint, IN q text DEFAULT ...)" -> "(p bigint, q text DEFAULT ...)"
        static const std::regex in_mode(R"(([(,]\s*)IN\s+)");
        sql = std::regex_replace(sql, in_mode, "$1");
    }
    if (entry.kind == "DOMAIN") {
        // 18: "CONSTRAINT code_not_null NOT NULL" -> "NOT NULL"
        static const std::regex named_not_null(R"(CONSTRAINT\s+("[^"]+"|\w+)\s+NOT NULL)");
        sql = std::regex_replace(sql, named_not_null, "NOT NULL");
    }
    if (entry.kind == "VIEW" || entry.kind == "MATERIALIZED VIEW") {
        // "account.account_id" -> "account_id": 16+ omits the qualifier where
        // it is not needed, older releases always print it.
        static const std::regex qualifier(R"((\b[a-z_][a-z0-9_$]*|"[^"]+")\.(?=[a-z_"]))");
        sql = std::regex_replace(sql, qualifier, "");
    }
    return sql;
}

}  // namespace dbclone::pg
