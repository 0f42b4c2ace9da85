// --table-exists-action skip|append|truncate|replace on a target schema that
// already holds the tables (Data Pump's meanings), through clone and import,
// as the managed-service role and as a superuser (which takes the fast path,
// session_replication_role = replica).
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

enum class Via { clone, import };

struct Case {
    std::string action;
    Via via;
    bool superuser = false;
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return info.param.action + (info.param.via == Via::clone ? "_clone" : "_import") +
           (info.param.superuser ? "_superuser" : "_app_role");
}

class TableExistsAction : public ::testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        DBCLONE_REQUIRE_FIXTURE("tea");
        auto& h = Harness::get();
        db_ = h.new_target_db("tea_" + GetParam().action);
        // The pre-existing target: a faithful first copy ...
        auto first =
            run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db_), "--schema", "tea:tea_t"});
        ASSERT_EQ(first.exit_code, 0) << describe(first);
        // ... then changed so that each action leaves a different trace.
        h.target().run_sql(db_,
                           "DELETE FROM tea_t.plain WHERE id <= 10;"
                           "INSERT INTO tea_t.plain VALUES (999, 'only on the target');"
                           "DELETE FROM tea_t.keyed;"
                           "INSERT INTO tea_t.keyed VALUES (999, 'only on the target');");
        if (GetParam().via == Via::import) {
            store_ = h.new_dir("store-tea-" + GetParam().action);
            auto ex =
                run_dbclone({"export", h.source_conninfo(), "--schema", kTea, "--store", file_url(store_)});
            ASSERT_EQ(ex.exit_code, 0) << describe(ex);
        }
    }

    DbcloneResult run_action(bool as_superuser) {
        auto& h = Harness::get();
        auto target = as_superuser ? h.target_superuser_conninfo(db_) : h.target_conninfo(db_);
        if (GetParam().via == Via::clone)
            return run_dbclone({"clone", h.source_conninfo(), target, "--schema", "tea:tea_t",
                                "--table-exists-action", GetParam().action});
        return run_dbclone({"import", target, "--store", file_url(store_), "--remap-schema", "tea:tea_t",
                            "--table-exists-action", GetParam().action});
    }
    std::string q(const std::string& sql) { return Harness::get().target().query_value(db_, sql); }

    std::string db_;
    std::filesystem::path store_;
};

TEST_P(TableExistsAction, HasDataPumpMeaning) {
    auto& h = Harness::get();
    const std::string& action = GetParam().action;
    if (action == "replace") {
        // The table's shape changes too: replace drops and recreates it.
        h.target().run_sql(db_, "ALTER TABLE tea_t.plain ADD COLUMN extra integer DEFAULT 1");
    }
    auto r = run_action(GetParam().superuser);
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const std::string plain =
        "SELECT count(*) || ' rows, ' || count(DISTINCT id) || ' ids, 999:' || "
        "count(*) FILTER (WHERE id = 999) FROM tea_t.plain";
    const std::string keyed =
        "SELECT count(*) || ' rows, 999:' || count(*) FILTER (WHERE id = 999) FROM tea_t.keyed";
    if (action == "skip") {
        EXPECT_EQ(q(plain), "91 rows, 91 ids, 999:1") << "skip must leave existing tables alone";
        EXPECT_EQ(q(keyed), "1 rows, 999:1");
    } else if (action == "append") {
        EXPECT_EQ(q(plain), "191 rows, 101 ids, 999:1") << "append adds the source rows to what is there";
        EXPECT_EQ(q(keyed), "51 rows, 999:1");
    } else if (action == "truncate") {
        EXPECT_EQ(q(plain), "100 rows, 100 ids, 999:0") << "truncate empties, then loads the source rows";
        EXPECT_EQ(q(keyed), "50 rows, 999:0");
        expect_same_schema(h.source(), kSourceDb, kTea, h.target(), db_, "tea_t");
    } else if (action == "replace") {
        EXPECT_EQ(q(plain), "100 rows, 100 ids, 999:0");
        EXPECT_EQ(q("SELECT count(*) FROM pg_attribute WHERE attrelid = 'tea_t.plain'::regclass AND attname "
                    "= 'extra'"),
                  "0")
            << "replace recreates the table as the source defines it";
        expect_same_schema(h.source(), kSourceDb, kTea, h.target(), db_, "tea_t");
    }
}

// skip keeps an existing table as it is; an empty one is no copy of a source
// table with rows, and the run must not call it a success.
TEST(TableExistsActionSkip, EmptyKeptTableIsNotASuccess) {
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto& h = Harness::get();
    auto db = h.new_target_db("tea_skip_empty");
    auto first = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "tea:tea_e"});
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    h.target().run_sql(db, "TRUNCATE tea_e.keyed");
    auto r = run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "tea:tea_e",
                          "--table-exists-action", "skip"});
    EXPECT_EQ(r.exit_code, 11) << describe(r);
    EXPECT_NE(r.out.find("empty"), std::string::npos) << describe(r);
    EXPECT_EQ(h.target().query_value(db, "SELECT count(*) FROM tea_e.keyed"), "0") << "skip leaves it alone";
}

INSTANTIATE_TEST_SUITE_P(
    Actions, TableExistsAction,
    ::testing::Values(Case{"skip", Via::clone}, Case{"append", Via::clone}, Case{"truncate", Via::clone},
                      Case{"replace", Via::clone}, Case{"skip", Via::import}, Case{"append", Via::import},
                      Case{"truncate", Via::import}, Case{"replace", Via::import},
                      Case{"append", Via::clone, true}, Case{"truncate", Via::clone, true},
                      Case{"replace", Via::clone, true}, Case{"truncate", Via::import, true}),
    case_name);

}  // namespace
}  // namespace dbclone::test
