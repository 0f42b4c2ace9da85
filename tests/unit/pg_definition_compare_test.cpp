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

// The exact text each rewrite leaves, edge case by edge case.
TEST(DefinitionCompare, InModeRewriteEdges) {
    EXPECT_EQ(
        comparable_definition(entry("FUNCTION",
                                    "CREATE FUNCTION f(IN a int,IN b int, \n IN\tc int, INOUT d int, "
                                    "IN_e int, OUT f int, in g int, (IN) RETURNS int AS 'SELECT (IN x)'")),
        "CREATE FUNCTION f(a int,b int, \n c int, INOUT d int, IN_e int, OUT f int, in g int, (IN) "
        "RETURNS int AS 'SELECT (x)'");
    EXPECT_EQ(comparable_definition(entry("PROCEDURE", "CREATE PROCEDURE g(IN  IN z int)")),
              "CREATE PROCEDURE g(IN z int)");
    // Other kinds keep their text.
    EXPECT_EQ(comparable_definition(entry("VIEW", "SELECT f(IN x)")), "SELECT f(IN x)");
}

TEST(DefinitionCompare, NamedNotNullRewriteEdges) {
    EXPECT_EQ(
        comparable_definition(entry(
            "DOMAIN",
            "CREATE DOMAIN d AS text CONSTRAINT \"my nn\" NOT NULL CONSTRAINT c2\n\tNOT NULL CONSTRAINT x "
            "CHECK (true) CONSTRAINT y  NOT NULLX CONSTRAINT \"\" NOT NULL XCONSTRAINT z NOT NULL "
            "CONSTRAINT a b NOT NULL CONSTRAINT NOT NULL")),
        "CREATE DOMAIN d AS text NOT NULL NOT NULL CONSTRAINT x CHECK (true) NOT NULLX CONSTRAINT \"\" "
        "NOT NULL XNOT NULL CONSTRAINT a b NOT NULL CONSTRAINT NOT NULL");
}

TEST(DefinitionCompare, QualifierRewriteEdges) {
    EXPECT_EQ(
        comparable_definition(entry("MATERIALIZED VIEW",
                                    "SELECT a.x, A.y, _t.z, t$1.w, X$y.v, \"T q\".c, \"a.b\".c, t.\"C\", "
                                    "t.Upper, t.1, s.t.u, 1a.b, f(t.x), t .x FROM app.t"),
                              "app"),
        "SELECT x, A.y, z, w, X$v, c, c, \"C\", t.Upper, t.1, u, 1a.b, f(x), t .x FROM app.t");
    // The copy's schema is kept, quoted or not; another schema's qualifier goes.
    EXPECT_EQ(
        comparable_definition(entry("VIEW", "SELECT \"Sch\".t.x FROM Sch.t, \"Sch\".u, other.v"), "Sch"),
        "SELECT \"Sch\".x FROM Sch.t, \"Sch\".u, v");
}

}  // namespace
}  // namespace dbclone::pg
