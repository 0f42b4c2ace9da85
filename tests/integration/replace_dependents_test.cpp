// --table-exists-action replace drops the existing tables with CASCADE; what
// other schemas build on them (here a view other.v_rnd) is not part of the
// copy. The run stops before changing anything, naming each such object
// (exit 16, docs/EXIT_CODES.md), unless --drop-dependents asks for it.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitDependents = 16;

class ReplaceDependents : public ::testing::Test {
protected:
    void SetUp() override {
        DBCLONE_REQUIRE_FIXTURE("tea");
        auto& h = Harness::get();
        db_ = h.new_target_db("replace_dependents");
        auto first =
            run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db_), "--schema", "tea:tea_r"});
        ASSERT_EQ(first.exit_code, 0) << describe(first);
        Harness::run_sql_as_app(h.target(), db_,
                                "INSERT INTO tea_r.plain VALUES (999, 'only on the target');"
                                "CREATE SCHEMA other;"
                                "CREATE VIEW other.v_rnd AS SELECT id, v FROM tea_r.plain WHERE id > 50;"
                                "CREATE VIEW other.v_on_view AS SELECT count(*) AS n FROM other.v_rnd;");
    }
    std::string q(const std::string& sql) { return Harness::get().target().query_value(db_, sql); }
    DbcloneResult replace(const std::vector<std::string>& extra = {}) {
        auto& h = Harness::get();
        std::vector<std::string> args = {"clone",    h.source_conninfo(), h.target_conninfo(db_),
                                         "--schema", "tea:tea_r",         "--table-exists-action",
                                         "replace"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_dbclone(args);
    }
    std::string db_;
};

TEST_F(ReplaceDependents, ViewInAnotherSchemaStopsTheRunNamingIt) {
    auto r = replace();
    EXPECT_EQ(r.exit_code, kExitDependents) << describe(r);
    EXPECT_NE(r.err.find("other.v_rnd"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("other.v_on_view"), std::string::npos)
        << "a view on the view goes too" << describe(r);
    EXPECT_NE(r.err.find("--drop-dependents"), std::string::npos)
        << "the hint names the way on" << describe(r);
    // Nothing changed: the views and the target's own row are there.
    EXPECT_EQ(q("SELECT count(*) FROM other.v_rnd"), "51");
    EXPECT_EQ(q("SELECT count(*) FROM tea_r.plain WHERE id = 999"), "1");
}

TEST_F(ReplaceDependents, DropDependentsReplacesAndDropsThem) {
    auto r = replace({"--drop-dependents"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(q("SELECT count(*) FROM pg_views WHERE schemaname = 'other'"), "0");
    auto& h = Harness::get();
    EXPECT_EQ(table_checksums(h.target(), db_, "tea_r"), table_checksums(h.source(), kSourceDb, kTea));
}

// Objects in the copied schema itself are the copy's: a replace goes ahead.
TEST_F(ReplaceDependents, NothingOutsideTheSchemaReplacesAsBefore) {
    Harness::run_sql_as_app(Harness::get().target(), db_, "DROP SCHEMA other CASCADE");
    auto r = replace();
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(q("SELECT count(*) FROM tea_r.plain WHERE id = 999"), "0");
}

}  // namespace
}  // namespace dbclone::test
