// dbclone clone SOURCE TARGET --schema S:D streams a schema across servers;
// the copy must equal the source in objects, rows and sequence values.
#include <gtest/gtest.h>

#include <sstream>

#include "harness.h"

namespace dbclone::test {
namespace {

DbcloneResult clone(const std::string& target_db, const std::string& mapping,
                    const std::vector<std::string>& extra = {}) {
    auto& h = Harness::get();
    std::vector<std::string> args{"clone", h.source_conninfo(), h.target_conninfo(target_db), "--schema",
                                  mapping};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_dbclone(args);
}

TEST(Clone, PagilaWithRemap) {
    DBCLONE_REQUIRE_FIXTURE("pagila");
    auto& h = Harness::get();
    auto db = h.new_target_db("pagila_clone");
    auto r = clone(db, "public:pagila_clone");
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    expect_same_schema(h.source(), kSourceDb, "public", h.target(), db, "pagila_clone");
    // Partitions of payment and their rows arrived.
    EXPECT_EQ(
        h.target().query_value(
            db, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'pagila_clone.payment'::regclass"),
        h.source().query_value(
            kSourceDb, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.payment'::regclass"));
}

TEST(Clone, DemoSchemaEveryObjectKind) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("demo_clone");
    auto r = clone(db, "shop:shop_copy");
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    expect_same_schema(h.source(), kSourceDb, kDemo, h.target(), db, "shop_copy");
    auto& t = h.target();
    EXPECT_EQ(t.query_value(db,
                            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'orders_log_status' "
                            "AND tgrelid = 'shop_copy.orders'::regclass"),
              "D")
        << "the disabled trigger must stay disabled";
    EXPECT_EQ(t.query_value(db, "SELECT count(*) FROM shop_copy.event_log_default"),
              h.source().query_value(kSourceDb, "SELECT count(*) FROM shop.event_log_default"));
    EXPECT_EQ(t.query_value(db, "SELECT has_table_privilege('shop_reader', 'shop_copy.customer', 'SELECT')"),
              "t")
        << "grant to a role that exists on the target";
    // Identity and serial columns continue after the copied rows.
    t.run_sql(db, "INSERT INTO shop_copy.customer (email, full_name) VALUES ('new@example.com', 'New')");
    EXPECT_EQ(t.query_value(db, "SELECT customer_id FROM shop_copy.customer WHERE email = 'new@example.com'"),
              "1100");
    // The deferrable FK is still deferred: the order may come before its customer
    // within one transaction.
    EXPECT_NO_THROW(
        t.run_sql(db,
                  "BEGIN; INSERT INTO shop_copy.orders (customer_id) VALUES (5000); "
                  "INSERT INTO shop_copy.customer (customer_id, email, full_name) OVERRIDING SYSTEM VALUE "
                  "VALUES (5000, 'x@example.com', 'X'); COMMIT;"));
    // ... but still checked at commit.
    EXPECT_THROW(t.run_sql(db, "BEGIN; INSERT INTO shop_copy.orders (customer_id) VALUES (-1); COMMIT;"),
                 std::exception);
}

TEST(Clone, SequenceCurrentValuesFollow) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("seq_clone");
    auto r = clone(db, "shop:shop_seq");
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    auto src = sequence_values(h.source(), kSourceDb, kDemo);
    auto dst = sequence_values(h.target(), db, "shop_seq");
    EXPECT_EQ(src, dst);
    EXPECT_EQ(dst["invoice_no_seq"], "4242 true");
    EXPECT_EQ(dst["countdown_seq"], "-36 false");
    EXPECT_EQ(h.target().query_value(db, "SELECT nextval('shop_seq.invoice_no_seq')"), "4249");
}

TEST(Clone, EveryBuiltInTypeRoundTripsExactly) {
    DBCLONE_REQUIRE_FIXTURE("types");
    auto& h = Harness::get();
    auto db = h.new_target_db("types_clone");
    auto r = clone(db, "types:types_copy");
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    expect_same_schema(h.source(), kSourceDb, kTypes, h.target(), db, "types_copy");
    // Column by column, so that a failure names the type that broke.
    auto columns = h.source().query_value(
        kSourceDb,
        "SELECT attname FROM pg_attribute WHERE attrelid = 'types.all_types'::regclass AND attnum > 1 "
        "AND NOT attisdropped ORDER BY attnum");
    std::istringstream in(columns);
    std::string col;
    while (std::getline(in, col)) {
        std::string sql = "SELECT string_agg(id || '=' || coalesce(quote_literal(" + col +
                          "::text), 'NULL'), ' | ' ORDER BY id) FROM %s.all_types";
        auto src_sql = sql;
        auto dst_sql = sql;
        src_sql.replace(src_sql.find("%s"), 2, "types");
        dst_sql.replace(dst_sql.find("%s"), 2, "types_copy");
        EXPECT_EQ(h.source().query_value(kSourceDb, src_sql), h.target().query_value(db, dst_sql))
            << "column " << col;
    }
    EXPECT_EQ(
        h.target().query_value(db,
                               "SELECT length(big_text) || ' ' || md5(big_text) || ' ' || md5(big_bytea) "
                               "FROM types_copy.big_values"),
        h.source().query_value(kSourceDb,
                               "SELECT length(big_text) || ' ' || md5(big_text) || ' ' || "
                               "md5(big_bytea) FROM types.big_values"));
    EXPECT_EQ(h.target().query_value(
                  db,
                  "SELECT string_agg(id || ':' || (t IS NULL) || ':' || coalesce(t, '<null>'), ',' "
                  "ORDER BY id) FROM types_copy.null_vs_empty"),
              "1:true:<null>,2:false:,3:false:NULL,4:false:\\N");
}

TEST(Clone, XmlDeclarationSurvives) {
    DBCLONE_REQUIRE_FIXTURE("types");
    auto& h = Harness::get();
    auto db = h.new_target_db("xml_clone");
    auto r = clone(db, "types:types_xml");
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    // x::text is the stored value, declaration included (see fixtures/types.sql).
    const std::string sql =
        "SELECT string_agg(id || '=' || x::text, ' | ' ORDER BY id) FROM %s.xml_declaration";
    auto src_sql = sql;
    auto dst_sql = sql;
    src_sql.replace(src_sql.find("%s"), 2, "types");
    dst_sql.replace(dst_sql.find("%s"), 2, "types_xml");
    EXPECT_EQ(h.target().query_value(db, dst_sql), h.source().query_value(kSourceDb, src_sql));
}

TEST(Clone, HostileIdentifiers) {
    DBCLONE_REQUIRE_FIXTURE("hostile");
    auto& h = Harness::get();
    auto db = h.new_target_db("hostile_clone");
    const std::string dst = "Hostile \"Copy\" \xC3\xBC select";
    auto r = clone(db, std::string(kHostile) + ":" + dst);
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    expect_same_schema(h.source(), kSourceDb, kHostile, h.target(), db, dst);
}

TEST(Clone, PlanPrintsTheStepsAndChangesNothing) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("plan_only");
    auto r = run_dbclone(
        {"plan", "clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "shop:shop_plan"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    for (const char* step : {"snapshot", "prepare-target", "create-objects", "verify"})
        EXPECT_NE(r.out.find(step), std::string::npos) << "the plan should name step " << step << describe(r);
    EXPECT_FALSE(schema_exists(h.target(), db, "shop_plan")) << "plan must change nothing";
    EXPECT_EQ(h.target().query_value(db,
                                     "SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                                     "AND nspname NOT IN ('public', 'information_schema')"),
              "0")
        << "plan must not leave a staging schema either";
}

TEST(Clone, EmbeddedDefaultClonesTheDemo) {
    // `dbclone clone` without arguments: two throwaway servers, demo schema, verify, report.
    auto r = run_dbclone({"clone"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.out.find("shop"), std::string::npos)
        << "the report should name the demo schema" << describe(r);
}

}  // namespace
}  // namespace dbclone::test
