#include "engine/postgres/verify/definition_compare.h"

#include <regex>
#include <utility>
#include <vector>

#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

std::string comparable_definition(const DdlEntry& entry, const std::string& schema) {
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
        // Schema qualifiers are meaning, not form: hidden from the pattern by
        // a byte no definition contains, put back afterwards.
        // (quoted or not: deparse quotes only where needed, keywords included).
        std::vector<std::string> prefixes;
        if (!schema.empty()) prefixes = {quote_ident(schema) + ".", schema + "."};
        std::vector<std::pair<std::string, std::string>> hidden;  // sentinel -> prefix
        for (const auto& prefix : prefixes) {
            const std::string sentinel =
                std::string("\x01") + static_cast<char>('0' + hidden.size()) + "\x01";
            for (auto at = sql.find(prefix); at != std::string::npos;
                 at = sql.find(prefix, at + sentinel.size()))
                sql.replace(at, prefix.size(), sentinel);
            hidden.emplace_back(sentinel, prefix);
        }
        sql = std::regex_replace(sql, qualifier, "");
        for (const auto& [sentinel, prefix] : hidden)
            for (auto at = sql.find(sentinel); at != std::string::npos;
                 at = sql.find(sentinel, at + prefix.size()))
                sql.replace(at, sentinel.size(), prefix);
    }
    return sql;
}

}  // namespace dbclone::pg
