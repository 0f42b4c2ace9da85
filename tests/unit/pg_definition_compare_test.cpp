// Definitions printed by different PostgreSQL releases compare equal when
// they differ only in form; a real difference still shows.
#include <gtest/gtest.h>

#include "engine/postgres/verify/definition_compare.h"

namespace dbclone::pg {
namespace {

DdlEntry entry(const std::string& kind, const std::string& sql) {
    DdlEntry e;
    e.kind = kind;
    e.sql = sql;
    return e;
}

TEST(DefinitionCompare, ProcedureInModeIsTheDefault) {
    auto pg13 = entry("PROCEDURE", "CREATE PROCEDURE p(p_id bigint, p_reason text DEFAULT 'x')");
    auto pg14 = entry("PROCEDURE", "CREATE PROCEDURE p(IN p_id bigint, IN p_reason text DEFAULT 'x')");
    EXPECT_EQ(comparable_definition(pg13), comparable_definition(pg14));
    auto inout = entry("PROCEDURE", "CREATE PROCEDURE p(INOUT total bigint)");
    EXPECT_NE(comparable_definition(inout),
              comparable_definition(entry("PROCEDURE", "CREATE PROCEDURE p(total bigint)")));
}

TEST(DefinitionCompare, ViewColumnQualifiers) {
    auto pg15 =
        entry("VIEW", "CREATE VIEW v AS  SELECT account.account_id,\n    account.code\n   FROM account;");
    auto pg16 = entry("VIEW", "CREATE VIEW v AS  SELECT account_id,\n    code\n   FROM account;");
    EXPECT_EQ(comparable_definition(pg15), comparable_definition(pg16));
    auto other = entry("VIEW", "CREATE VIEW v AS  SELECT account_id,\n    name\n   FROM account;");
    EXPECT_NE(comparable_definition(pg15), comparable_definition(other));
}

TEST(DefinitionCompare, DomainNamedNotNull) {
    auto pg17 = entry("DOMAIN", "CREATE DOMAIN \"code\" AS text NOT NULL CONSTRAINT code_shape CHECK (true)");
    auto pg18 = entry("DOMAIN",
                      "CREATE DOMAIN \"code\" AS text CONSTRAINT code_not_null NOT NULL CONSTRAINT "
                      "code_shape CHECK (true)");
    EXPECT_EQ(comparable_definition(pg17), comparable_definition(pg18));
    EXPECT_NE(comparable_definition(pg17),
              comparable_definition(entry("DOMAIN", "CREATE DOMAIN \"code\" AS text")));
}

}  // namespace
}  // namespace dbclone::pg
