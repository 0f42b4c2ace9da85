// The DDL guard of dump sets (engine/postgres/target/ddl_guard.h): entries as
// dbclone writes them pass; entries that do more than their kind says, or act
// on another schema, are refused with Error(untrusted).
#include <gtest/gtest.h>

#include "core/error.h"
#include "engine/postgres/target/ddl_guard.h"

namespace dbclone::pg {
namespace {

DdlEntry entry(std::string kind, std::string sql) {
    DdlEntry e;
    e.kind = std::move(kind);
    e.name = "x";
    e.sql = std::move(sql);
    return e;
}

// The refusal's message, or "" when the entry passes.
std::string refusal(const std::string& kind, const std::string& sql, const std::string& schema = "app") {
    try {
        check_ddl_entry(entry(kind, sql), schema);
        return {};
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::untrusted) << e.message();
        return e.message();
    }
}

TEST(PgDdlGuard, SplitsAtSemicolonsOutsideStringsBodiesAndAtomicBlocks) {
    EXPECT_EQ(entry_statements("CREATE TABLE a (x int);\nALTER TABLE ONLY a ALTER COLUMN x SET STATISTICS 5;")
                  .size(),
              2u);
    EXPECT_EQ(entry_statements("COMMENT ON TABLE a IS 'x; DROP TABLE b'").size(), 1u);
    EXPECT_EQ(entry_statements("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN 1; END$$")
                  .size(),
              1u);
    EXPECT_EQ(
        entry_statements("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN "
                         "x > 0 THEN 1 ELSE 0 END; SELECT 2; END")
            .size(),
        1u);
    EXPECT_EQ(
        entry_statements("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; DROP "
                         "TABLE t")
            .size(),
        2u);
    EXPECT_EQ(entry_statements("CREATE TABLE a (x int) -- done; DROP TABLE b\n").size(), 1u);
    EXPECT_TRUE(entry_statements(" ; -- nothing\n").empty());
}

TEST(PgDdlGuard, EntriesAsDbcloneWritesThemPass) {
    EXPECT_EQ(
        refusal("TABLE",
                "CREATE TABLE p_1 (\n    id integer\n);\nALTER TABLE ONLY p ATTACH PARTITION p_1 FOR VALUES "
                "FROM (1) TO (10);\nALTER TABLE ONLY p_1 ALTER COLUMN id SET STATISTICS 100"),
        "");
    EXPECT_EQ(refusal("TABLE", "CREATE UNLOGGED TABLE \"Odd; name\" (v public.citext)"), "");
    EXPECT_EQ(refusal("VIEW", "CREATE VIEW v AS SELECT t.a FROM app.t JOIN other.u USING (a)"), "");
    EXPECT_EQ(refusal("MATERIALIZED VIEW", "CREATE MATERIALIZED VIEW mv AS SELECT 1 WITH NO DATA"), "");
    EXPECT_EQ(refusal("INDEX", "CREATE UNIQUE INDEX i ON app.t USING btree (a)"), "");
    EXPECT_EQ(
        refusal("CONSTRAINT", "ALTER TABLE ONLY t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES other.u(a)"),
        "");
    EXPECT_EQ(
        refusal(
            "TRIGGER",
            "CREATE TRIGGER tr BEFORE UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION public.moddatetime()"),
        "");
    EXPECT_EQ(
        refusal(
            "TRIGGER",
            "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nALTER TABLE t DISABLE "
            "TRIGGER tr;\nALTER TABLE app.t_1 ENABLE REPLICA TRIGGER tr"),
        "");
    EXPECT_EQ(
        refusal("RULE", "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;\nALTER TABLE t DISABLE RULE r"),
        "");
    EXPECT_EQ(refusal("POLICY", "CREATE POLICY p ON t AS PERMISSIVE FOR SELECT TO PUBLIC USING (a > 0)"), "");
    EXPECT_EQ(refusal("RULE", "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING"), "");
    EXPECT_EQ(refusal("COMMENT", "COMMENT ON COLUMN t.a IS 'it''s; fine'"), "");
    EXPECT_EQ(refusal("COMMENT", "COMMENT ON CONSTRAINT c ON DOMAIN d IS NULL"), "");
    EXPECT_EQ(refusal("COMMENT", "COMMENT ON FUNCTION f(public.citext) IS 'x'"), "");
    EXPECT_EQ(refusal("GRANT", "GRANT SELECT (a), UPDATE (a) ON TABLE t TO \"reader\" WITH GRANT OPTION"),
              "");
    EXPECT_EQ(refusal("ACL", "REVOKE ALL ON FUNCTION f(integer) FROM PUBLIC"), "");
    EXPECT_EQ(refusal("SEQUENCE OWNED BY", "ALTER SEQUENCE s OWNED BY t.id"), "");
    EXPECT_EQ(refusal("STATISTICS",
                      "CREATE STATISTICS app.st (ndistinct) ON a, b FROM app.t;\nALTER STATISTICS app.st SET "
                      "STATISTICS 50"),
              "");
    EXPECT_EQ(refusal("REFRESH MATERIALIZED VIEW", "REFRESH MATERIALIZED VIEW mv"), "");
    EXPECT_EQ(refusal("FUNCTION",
                      "CREATE FUNCTION \"Hostile \"\"Schema\"\"\".f() RETURNS int LANGUAGE sql AS "
                      "'SELECT 1'",
                      "Hostile \"Schema\""),
              "");
}

TEST(PgDdlGuard, EntriesThatDoMoreAreRefused) {
    EXPECT_NE(refusal("TABLE", "CREATE TABLE a (x int); DROP TABLE b").find("runs DROP"), std::string::npos);
    EXPECT_NE(refusal("TABLE", "CREATE TABLE a (x int); CREATE TABLE b (y int)").find("second statement"),
              std::string::npos);
    EXPECT_NE(refusal("INDEX", "CREATE TABLE a (x int)").find("is a INDEX entry"), std::string::npos);
    EXPECT_NE(refusal("TABLE", "CREATE TABLE other.a (x int)").find("outside the dump set's schema"),
              std::string::npos);
    EXPECT_NE(
        refusal("TABLE", "CREATE TABLE a (x int); ALTER TABLE ONLY other.b ADD COLUMN y int").find("outside"),
        std::string::npos);
    EXPECT_NE(refusal("INDEX", "CREATE INDEX ON other.t (a)").find("outside"), std::string::npos);
    EXPECT_NE(
        refusal("TRIGGER", "CREATE TRIGGER tr AFTER INSERT ON other.t EXECUTE FUNCTION f()").find("outside"),
        std::string::npos);
    EXPECT_NE(refusal("TRIGGER",
                      "CREATE TRIGGER tr AFTER INSERT ON t EXECUTE FUNCTION f(); ALTER TABLE t DROP "
                      "COLUMN a")
                  .find("second statement"),
              std::string::npos);
    EXPECT_NE(refusal("CONSTRAINT", "ALTER TABLE t SET SCHEMA other").find("SET SCHEMA"), std::string::npos);
    EXPECT_NE(refusal("CONSTRAINT", "ALTER TABLE t OWNER TO postgres").find("OWNER TO"), std::string::npos);
    EXPECT_NE(refusal("GRANT", "GRANT pg_read_server_files TO PUBLIC").find("grants a role"),
              std::string::npos);
    EXPECT_NE(refusal("GRANT", "GRANT ALL ON SCHEMA other TO PUBLIC").find("SCHEMA"), std::string::npos);
    EXPECT_NE(refusal("GRANT", "GRANT SELECT ON other.t TO PUBLIC").find("outside"), std::string::npos);
    EXPECT_NE(refusal("COMMENT", "COMMENT ON TABLE t IS 'x' || pg_sleep(1)").find("more than a comment"),
              std::string::npos);
    EXPECT_NE(refusal("COMMENT", "DO $$BEGIN END$$").find("runs DO"), std::string::npos);
    EXPECT_NE(refusal("TABLE", "CREATE ROLE evil SUPERUSER").find("not an object of a schema"),
              std::string::npos);
    EXPECT_NE(refusal("TABLE", "CREATE TEMP TABLE a (x int)").find("not an object of a schema"),
              std::string::npos);
    EXPECT_NE(refusal("TABLE", "").find("is empty"), std::string::npos);
    EXPECT_NE(refusal("REFRESH MATERIALIZED VIEW", "REFRESH MATERIALIZED VIEW mv, other.x").find("more than"),
              std::string::npos);
}

// A security label entry labels an object of the dump set's schema with a
// string, and nothing else: not the schema itself (set from the catalog, on
// the target's name), not an object elsewhere, no expression after IS.
TEST(PgDdlGuard, SecurityLabelEntryLabelsOnlyTheSetsOwnObjects) {
    for (const auto* sql : {"SECURITY LABEL FOR \"dbclone_test\" ON COLUMN doc.body IS 'it''s secret'",
                            "SECURITY LABEL FOR sepgsql ON FUNCTION twice(x pos) IS 'system_u:object_r:x'",
                            "SECURITY LABEL FOR p ON MATERIALIZED VIEW app.mv IS 'l'",
                            "SECURITY LABEL FOR p ON AGGREGATE total(*) IS 'l'"})
        EXPECT_EQ(refusal("SECURITY LABEL", sql), "") << sql;
    EXPECT_NE(refusal("SECURITY LABEL", "SECURITY LABEL FOR p ON TABLE other.t IS 'l'").find("outside"),
              std::string::npos);
    EXPECT_NE(refusal("SECURITY LABEL", "SECURITY LABEL FOR p ON SCHEMA app IS 'l'").find("not an object"),
              std::string::npos);
    EXPECT_NE(refusal("SECURITY LABEL", "SECURITY LABEL FOR p ON ROLE postgres IS 'l'").find("not an object"),
              std::string::npos);
    EXPECT_NE(refusal("SECURITY LABEL", "SECURITY LABEL FOR p ON TABLE t IS 'l' || pg_sleep(1)")
                  .find("more than a label"),
              std::string::npos);
    EXPECT_NE(refusal("SECURITY LABEL", "SECURITY LABEL ON TABLE t IS 'l'").find("without FOR"),
              std::string::npos);
    EXPECT_NE(refusal("COMMENT", "SECURITY LABEL FOR p ON TABLE t IS 'l'").find("is a COMMENT entry"),
              std::string::npos);
}

// An extension installed in the copied schema is one exact statement; the
// rest of CREATE EXTENSION (SCHEMA elsewhere, CASCADE) and anything after it
// is refused.
TEST(PgDdlGuard, ExtensionEntryIsExactlyCreateExtensionWithItsVersion) {
    EXPECT_EQ(refusal("EXTENSION", "CREATE EXTENSION citext VERSION '1.6'"), "");
    EXPECT_EQ(refusal("EXTENSION", "CREATE EXTENSION \"pg_trgm\" VERSION '1.6'"), "");
    EXPECT_NE(refusal("EXTENSION", "CREATE EXTENSION citext VERSION '1.6' SCHEMA public"), "");
    EXPECT_NE(refusal("EXTENSION", "CREATE EXTENSION citext VERSION '1.6' CASCADE"), "");
    EXPECT_NE(refusal("EXTENSION", "CREATE EXTENSION citext VERSION '1.6'; CREATE ROLE evil"), "");
    EXPECT_NE(refusal("TABLE", "CREATE EXTENSION citext VERSION '1.6'"), "");
    EXPECT_EQ(refusal("COMMENT", "COMMENT ON EXTENSION citext IS 'case-insensitive text'"), "");
    EXPECT_NE(refusal("COMMENT", "COMMENT ON EXTENSION citext IS 'x' || current_user"), "");
}

}  // namespace
}  // namespace dbclone::pg
