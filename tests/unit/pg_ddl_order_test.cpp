// order_entries (catalog/ddl_order): dependencies first, deterministic ties,
// post-data groups, and a dependency cycle broken with a warning.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/postgres/catalog/ddl_order.h"

namespace dbclone::pg {
namespace {

DdlEntry pre(std::string kind, std::string name, std::string key, std::vector<std::string> deps = {}) {
    DdlEntry e;
    e.kind = std::move(kind);
    e.name = std::move(name);
    e.key = std::move(key);
    e.deps = std::move(deps);
    return e;
}

DdlEntry post(std::string kind, std::string name, int group) {
    DdlEntry e;
    e.kind = std::move(kind);
    e.name = std::move(name);
    e.section = Section::post_data;
    e.group = group;
    return e;
}

std::vector<std::string> names(const SchemaCatalog& c) {
    std::vector<std::string> out;
    for (const auto& e : c.entries) out.push_back(e.name);
    return out;
}

TEST(DdlOrder, DependenciesComeFirstWhateverTheirKind) {
    SchemaCatalog c;
    // A view over a table whose default calls a function that uses a type.
    c.entries = {pre("VIEW", "v", "k:v", {"k:t"}), pre("TABLE", "t", "k:t", {"k:f"}),
                 pre("FUNCTION", "f()", "k:f", {"k:ty"}), pre("TYPE", "ty", "k:ty"),
                 // A table that needs a view (kind priority alone would put it first).
                 pre("TABLE", "after_view", "k:a", {"k:v"})};
    order_entries(c);
    EXPECT_EQ(names(c), (std::vector<std::string>{"ty", "f()", "t", "v", "after_view"}));
    EXPECT_TRUE(c.warnings.empty());
}

TEST(DdlOrder, TiesBreakByKindThenNameAndUnknownDepsAreIgnored) {
    SchemaCatalog c;
    c.entries = {pre("VIEW", "a_view", "k:1"), pre("TABLE", "b", "k:2", {"pg_class:outside_schema"}),
                 pre("TABLE", "a", "k:3"), pre("SEQUENCE", "z_seq", "k:4"), pre("TYPE", "y", "k:5")};
    order_entries(c);
    EXPECT_EQ(names(c), (std::vector<std::string>{"y", "z_seq", "a", "b", "a_view"}));
}

TEST(DdlOrder, ACycleIsBrokenOnceWithAWarning) {
    SchemaCatalog c;
    c.entries = {pre("FUNCTION", "f()", "k:f", {"k:g"}), pre("FUNCTION", "g()", "k:g", {"k:f"}),
                 pre("TABLE", "t", "k:t", {"k:g"}), pre("TYPE", "free", "k:free")};
    order_entries(c);
    auto order = names(c);
    ASSERT_EQ(order.size(), 4u);
    EXPECT_EQ(order[0], "free");
    EXPECT_EQ(order[1], "f()");  // the cycle breaks at the lowest rank: f() before g()
    EXPECT_EQ(order[2], "g()");
    EXPECT_EQ(order[3], "t");
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("dependency cycle broken at"), std::string::npos) << c.warnings[0];
}

TEST(DdlOrder, PostDataFollowsPreDataByGroupThenName) {
    SchemaCatalog c;
    c.entries = {post("TRIGGER", "t.trg", 5), post("INDEX", "t.b_idx", 2), pre("TABLE", "t", "k:t"),
                 post("CONSTRAINT", "t.pk", 1), post("INDEX", "t.a_idx", 2)};
    order_entries(c);
    EXPECT_EQ(names(c), (std::vector<std::string>{"t", "t.pk", "t.a_idx", "t.b_idx", "t.trg"}));
}

}  // namespace
}  // namespace dbclone::pg
