// dbclone refresh SOURCE TARGET --schema S:D reloads the data of an existing
// target schema (Data Pump's TABLE_EXISTS_ACTION=TRUNCATE): rows become the
// source's, the target keeps its own extra objects, and the target's
// triggers do not fire for the copied rows.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

TEST(Refresh, ReloadsRowsAndKeepsTheTargetsOwnObjects) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto& t = h.target();
    auto db = h.new_target_db("demo_refresh");
    auto first =
        run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "shop:shop_pre"});
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    // Pre-prod drifts: its own table, lost and changed rows, a trigger of its own
    // that would add rows to event_log if it fired during the load.
    t.run_sql(
        db,
        "CREATE TABLE shop_pre.local_only (id integer); INSERT INTO shop_pre.local_only VALUES (7);"
        "DELETE FROM shop_pre.order_line; UPDATE shop_pre.customer SET full_name = 'changed on pre-prod';"
        "CREATE FUNCTION shop_pre.noisy() RETURNS trigger LANGUAGE plpgsql AS "
        "$$BEGIN INSERT INTO shop_pre.local_only VALUES (99); RETURN NEW; END$$;"
        "CREATE TRIGGER noisy AFTER INSERT ON shop_pre.customer FOR EACH ROW EXECUTE FUNCTION "
        "shop_pre.noisy();");
    auto r =
        run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "shop:shop_pre"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);

    auto source_rows = table_checksums(h.source(), kSourceDb, "shop");
    auto target_rows = table_checksums(t, db, "shop_pre");
    EXPECT_EQ(target_rows.count("local_only"), 1u);
    target_rows.erase("local_only");
    EXPECT_EQ(target_rows, source_rows);
    EXPECT_EQ(t.query_value(db, "SELECT string_agg(id::text, ',') FROM shop_pre.local_only"), "7")
        << "the target's own table is kept and its trigger did not fire for copied rows";
    EXPECT_EQ(t.query_value(db, "SELECT count(*) FROM pg_trigger WHERE tgname = 'noisy'"), "1");
}

// As the role a managed service hands out, a refresh that cannot finish (a
// table of the target owned by another role, whose trigger it would have to
// switch off) stops with exit 13 before it empties anything.
TEST(Refresh, WithoutTheNeededPrivilegesStopsWith13AndKeepsTheTargetsRows) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto& t = h.target();
    auto db = h.new_target_db("demo_refresh_nosu");
    auto first =
        run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "shop:shop_nosu"});
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    t.run_sql(db,
              "UPDATE shop_nosu.customer SET full_name = 'changed on pre-prod';"
              "CREATE ROLE dbclone_other_owner NOLOGIN; ALTER TABLE shop_nosu.customer OWNER TO "
              "dbclone_other_owner; GRANT ALL ON shop_nosu.customer TO " +
                  std::string(kAppRole) +
                  ";"
                  "CREATE FUNCTION shop_nosu.noisy() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; "
                  "END$$;"
                  "CREATE TRIGGER noisy AFTER INSERT ON shop_nosu.customer FOR EACH ROW EXECUTE FUNCTION "
                  "shop_nosu.noisy();");
    auto before = table_checksums(t, db, "shop_nosu");
    auto r =
        run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "shop:shop_nosu"});
    EXPECT_EQ(r.exit_code, 13) << describe(r);
    EXPECT_NE(r.err.find("dbclone_other_owner"), std::string::npos) << "names the owner" << describe(r);
    EXPECT_EQ(table_checksums(t, db, "shop_nosu"), before)
        << "a refresh that cannot finish changed the target";
}

TEST(Refresh, MissingTargetSchemaIsNotFound) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("demo_refresh_missing");
    auto r = run_dbclone({"refresh", h.source_conninfo(), h.target_conninfo(db), "--schema", "shop:nowhere"});
    EXPECT_EQ(r.exit_code, 5) << describe(r);
    EXPECT_FALSE(schema_exists(h.target(), db, "nowhere"));
}

TEST(Refresh, RefusesWhenTheTargetIsTheSource) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto before = table_checksums(h.source(), kSourceDb, "shop");
    auto r = run_dbclone({"refresh", h.source_conninfo(), h.source_conninfo(), "--schema", "shop"});
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_EQ(table_checksums(h.source(), kSourceDb, "shop"), before);
}

}  // namespace
}  // namespace dbclone::test
