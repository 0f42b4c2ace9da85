// compare_inventory: the copy's definitions are compared with the source's
// after the schema rename, and a text difference that the target server's
// re-deparse explains is no difference; anything else still fails.
#include <gtest/gtest.h>

#include "engine/postgres/verify/compare.h"

namespace dbclone::pg {
namespace {

DdlEntry entry(std::string kind, std::string name, std::string sql) {
    DdlEntry e;
    e.kind = std::move(kind);
    e.name = std::move(name);
    e.sql = std::move(sql);
    return e;
}

SchemaCatalog catalog(std::string schema, std::vector<DdlEntry> entries) {
    SchemaCatalog c;
    c.schema = std::move(schema);
    c.entries = std::move(entries);
    return c;
}

const std::string kSourceView =
    "CREATE VIEW v AS SELECT x FROM t WHERE (s)::text = ANY ((ARRAY['a'::varchar])::text[])";
const std::string kCopyView =
    "CREATE VIEW v AS SELECT x FROM t WHERE (s)::text = ANY (ARRAY[('a'::varchar)::text])";

TEST(PgSemanticCompare, PureRedeparseIsNotADifference) {
    auto src = catalog("app", {entry("VIEW", "v", kSourceView)});
    auto dst = catalog("copy", {entry("VIEW", "v", kCopyView)});
    std::vector<std::string> asked;
    Redeparse redeparse = [&](const std::vector<DdlEntry>& entries) {
        std::map<std::string, std::string> out;
        for (const auto& e : entries) {
            asked.push_back(e.sql);
            out[entry_label(e)] = kCopyView;  // what the target server prints for the source's text
        }
        return out;
    };
    Report report;
    compare_inventory(src, dst, {}, report, false, redeparse);
    EXPECT_FALSE(report.has_failures()) << report.to_text(true);
    ASSERT_EQ(asked.size(), 1U);
    EXPECT_EQ(asked[0], kSourceView);
}

TEST(PgSemanticCompare, RealDifferenceStillFails) {
    auto src = catalog("app", {entry("VIEW", "v", kSourceView)});
    auto dst = catalog("copy", {entry("VIEW", "v", "CREATE VIEW v AS SELECT x FROM t")});
    Redeparse redeparse = [&](const std::vector<DdlEntry>& entries) {
        std::map<std::string, std::string> out;
        for (const auto& e : entries) out[entry_label(e)] = kCopyView;
        return out;
    };
    Report report;
    compare_inventory(src, dst, {}, report, false, redeparse);
    EXPECT_TRUE(report.has_failures());
    Report without;
    compare_inventory(src, catalog("copy", {entry("VIEW", "v", kCopyView)}), {}, without);
    EXPECT_TRUE(without.has_failures()) << "no re-deparse: a text difference is a difference";
}

TEST(PgSemanticCompare, SchemaNameIsRemappedBeforeComparing) {
    auto src = catalog(
        "app", {entry("MATERIALIZED VIEW", "m", "CREATE MATERIALIZED VIEW m AS SELECT * FROM app.t")});
    Report same;
    compare_inventory(src,
                      catalog("copy", {entry("MATERIALIZED VIEW", "m",
                                             "CREATE MATERIALIZED VIEW m AS SELECT * FROM copy.t")}),
                      {}, same);
    EXPECT_FALSE(same.has_failures()) << same.to_text(true);
    Report reads_source;
    compare_inventory(src,
                      catalog("copy", {entry("MATERIALIZED VIEW", "m",
                                             "CREATE MATERIALIZED VIEW m AS SELECT * FROM app.t")}),
                      {}, reads_source);
    EXPECT_TRUE(reads_source.has_failures()) << "a copy that still reads the source schema differs";
}

}  // namespace
}  // namespace dbclone::pg
