// dbclone verify: exit 0 when source and copy are equal, exit 11 naming the
// table when one row differs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness.h"

namespace dbclone::test {
namespace {

class Verify : public ::testing::Test {
protected:
    void SetUp() override {
        DBCLONE_REQUIRE_FIXTURE("hard");
        auto& h = Harness::get();
        db_ = h.new_target_db("verify");
        auto r =
            run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db_), "--schema", "hard:hard_v"});
        ASSERT_EQ(r.exit_code, 0) << describe(r);
    }
    DbcloneResult verify(const std::vector<std::string>& extra = {}) {
        auto& h = Harness::get();
        std::vector<std::string> args{"verify", h.source_conninfo(), h.target_conninfo(db_), "--schema",
                                      "hard:hard_v"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_dbclone(args);
    }
    std::string db_;
};

TEST_F(Verify, EqualCopyExitsZero) {
    auto r = verify();
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    auto j = verify({"--json"});
    EXPECT_EQ(j.exit_code, 0) << describe(j);
    EXPECT_TRUE(nlohmann::json::accept(j.out)) << "--json must print JSON on stdout" << describe(j);
}

TEST_F(Verify, OneChangedRowExits11AndNamesTheTable) {
    Harness::get().target().run_sql(db_, "UPDATE hard_v.account SET discount = 55 WHERE account_id = 510");
    auto r = verify();
    EXPECT_EQ(r.exit_code, kExitVerifyMismatch) << describe(r);
    EXPECT_NE((r.out + r.err).find("account"), std::string::npos)
        << "the report must name the table" << describe(r);
    auto j = verify({"--json"});
    EXPECT_EQ(j.exit_code, kExitVerifyMismatch) << describe(j);
    EXPECT_NE(j.out.find("account"), std::string::npos) << describe(j);
}

// A row deleted from one partition of the partitioned measurement table.
TEST_F(Verify, MissingRowAndMissingObjectAreDifferences) {
    auto& t = Harness::get().target();
    t.run_sql(db_,
              "DELETE FROM hard_v.measurement_2023_eu WHERE taken = (SELECT min(taken) FROM "
              "hard_v.measurement_2023_eu)");
    auto rows = verify();
    EXPECT_EQ(rows.exit_code, kExitVerifyMismatch) << describe(rows);
    EXPECT_NE((rows.out + rows.err).find("measurement_2023_eu"), std::string::npos) << describe(rows);

    t.run_sql(db_, "DROP INDEX hard_v.measurement_value_idx");
    auto objects = verify();
    EXPECT_EQ(objects.exit_code, kExitVerifyMismatch) << describe(objects);
    EXPECT_NE((objects.out + objects.err).find("measurement_value_idx"), std::string::npos)
        << describe(objects);
}

}  // namespace
}  // namespace dbclone::test
