// The schema-name rewrite works on tokens: names and name-like strings are
// rewritten, prose in strings, comments and quoted look-alikes are not.
#include <gtest/gtest.h>

#include "engine/postgres/remap/lexer.h"
#include "engine/postgres/remap/remap.h"

namespace dbclone::pg::remap {
namespace {

std::string join(const std::vector<Token>& toks) {
    std::string s;
    for (const auto& t : toks) s += t.text;
    return s;
}

TEST(PgLexer, GivesBackTheInputAndTellsKindsApart) {
    const std::string sql =
        "SELECT \"a\"\"b\".x, E'it\\'s', 'o''k', $q$ app.t $q$, $1 -- app.t\n/* a /* nested */ app.t */ "
        "1.5::int";
    auto toks = tokenize(sql);
    EXPECT_EQ(join(toks), sql);
    int strings = 0, comments = 0, dollars = 0;
    for (const auto& t : toks) {
        strings += t.kind == TokenKind::string || t.kind == TokenKind::escape_string;
        comments += t.kind == TokenKind::comment;
        dollars += t.kind == TokenKind::dollar_string;
    }
    EXPECT_EQ(strings, 2);
    EXPECT_EQ(comments, 2);
    EXPECT_EQ(dollars, 1);
    EXPECT_EQ(identifier_value(toks[2]), "a\"b");
}

TEST(PgRemap, QualifiersAndRegCastsButNotProse) {
    auto r = remap_schema(
        "CREATE VIEW v AS SELECT 'app.t is here' AS note, 'app.t'::regclass, APP.t.x, \"app\".t.y, "
        "\"App\".t.z, app_other.t FROM app.t -- app.t stays\n",
        "app", "new one");
    EXPECT_EQ(r.sql,
              "CREATE VIEW v AS SELECT 'app.t is here' AS note, '\"new one\".t'::regclass, \"new one\".t.x, "
              "\"new one\".t.y, \"App\".t.z, app_other.t FROM \"new one\".t -- app.t stays\n");
    EXPECT_EQ(r.rewrites.size(), 4U);
    EXPECT_FALSE(r.body_rewritten);
}

TEST(PgRemap, FunctionBodiesAndSearchPath) {
    const std::string def =
        "CREATE FUNCTION f(t text) RETURNS boolean\n LANGUAGE plpgsql\n SET search_path TO 'app', 'public'\n"
        "AS $function$\nBEGIN\n  -- reads app.t\n  INSERT INTO app.audit VALUES ('app.t changed', E'app''s', "
        "'app.docs');\n  PERFORM to_tsvector('app.docs', t);\n  RETURN true;\nEND $function$";
    auto r = remap_schema(def, "app", "dst");
    EXPECT_EQ(
        r.sql,
        "CREATE FUNCTION f(t text) RETURNS boolean\n LANGUAGE plpgsql\n SET search_path TO 'dst', 'public'\n"
        "AS $function$\nBEGIN\n  -- reads app.t\n  INSERT INTO dst.audit VALUES ('app.t changed', E'app''s', "
        "'dst.docs');\n  PERFORM to_tsvector('dst.docs', t);\n  RETURN true;\nEND $function$");
    EXPECT_TRUE(r.body_rewritten);

    auto kept = remap_schema(def, "app", "dst", {.rewrite_bodies = false});
    EXPECT_NE(kept.sql.find("INSERT INTO app.audit"), std::string::npos);
    EXPECT_NE(kept.sql.find("TO 'dst', 'public'"), std::string::npos) << "settings are not bodies";

    auto python = remap_schema(
        "CREATE FUNCTION g() LANGUAGE plpython3u AS $$ plpy.execute('select * from app.t') $$", "app", "dst");
    EXPECT_TRUE(python.rewrites.empty()) << "bodies of other languages are left alone";
}

TEST(PgRemap, SearchPathListsInOneStringAndSetConfig) {
    auto r = remap_schema(
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql SET search_path TO 'app, pg_temp' AS $$\nBEGIN\n"
        "  PERFORM set_config('search_path', '\"app\", public', true);\n"
        "  PERFORM pg_catalog.set_config( 'search_path' , 'public,app' , false);\n"
        "  PERFORM set_config('myapp.setting', 'app, x', true);\n"
        "  PERFORM set_config('search_path', 'app_other, apps', true);\nEND $$",
        "app", "new one");
    EXPECT_EQ(
        r.sql,
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql SET search_path TO '\"new one\", pg_temp' AS "
        "$$\nBEGIN\n"
        "  PERFORM set_config('search_path', '\"new one\", public', true);\n"
        "  PERFORM pg_catalog.set_config( 'search_path' , 'public,\"new one\"' , false);\n"
        "  PERFORM set_config('myapp.setting', 'app, x', true);\n"
        "  PERFORM set_config('search_path', 'app_other, apps', true);\nEND $$");
    EXPECT_EQ(r.rewrites.size(), 3U);
    EXPECT_TRUE(r.body_rewritten);
}

TEST(PgRemap, SameNameIsUnchanged) {
    EXPECT_EQ(remap_schema("SELECT app.t", "app", "app").sql, "SELECT app.t");
}

}  // namespace
}  // namespace dbclone::pg::remap
