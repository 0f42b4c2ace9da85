// --table-exists-action skip|append|truncate|replace on a target schema that
// already holds the tables (Data Pump's meanings), through clone and import.
#include <gtest/gtest.h>

#include "harness.h"

namespace dbclone::test {
namespace {

enum class Via { clone, import };

struct Case {
    std::string action;
    Via via;
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return info.param.action + (info.param.via == Via::clone ? "_clone" : "_import");
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

    // append, truncate and replace load into existing tables with the target's
    // triggers and foreign keys switched off (session_replication_role),
    // which today takes a superuser:
    // needs superuser until refresh without superuser lands (issue 9 item 4)
    static bool needs_superuser(const std::string& action) { return action != "skip"; }

    DbcloneResult run_action(bool as_superuser) {
        auto& h = Harness::get();
        auto target = as_superuser ? h.target_superuser_conninfo(db_) : h.target_conninfo(db_);
        if (GetParam().via == Via::clone)
            return run_dbclone({"clone", h.source_conninfo(), target, "--schema", "tea:tea_t",
                                "--table-exists-action", GetParam().action});
        return run_dbclone({"import", target, "--store", file_url(store_), "--remap-schema", "tea:tea_t",
                            "--table-exists-action", GetParam().action});
    }
    void expect_refused_without_superuser();
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
    auto r = run_action(needs_superuser(action));
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

// As the role a managed service hands out, append, truncate and replace
// cannot (yet) switch off the target's triggers and foreign keys: they must
// stop with exit 13 (privileges) and leave the target's rows and tables as
// they were.
void TableExistsAction::expect_refused_without_superuser() {
    auto& h = Harness::get();
    auto before = table_checksums(h.target(), db_, "tea_t");
    auto columns =
        "SELECT count(*) FROM pg_attribute WHERE attrelid = 'tea_t.plain'::regclass AND attnum > 0";
    auto columns_before = q(columns);
    auto r = run_action(false);
    EXPECT_EQ(r.exit_code, 13) << describe(r);
    EXPECT_EQ(table_checksums(h.target(), db_, "tea_t"), before)
        << "a run that cannot finish changed the target";
    EXPECT_EQ(q(columns), columns_before);
}

TEST_P(TableExistsAction, WithoutSuperuserAppendStopsWith13AndKeepsTheTarget) {
    if (GetParam().action != "append") GTEST_SKIP() << "append only; see the DISABLED_ test below";
    expect_refused_without_superuser();
}

// DISABLED: today truncate and replace exit 13 only after they have emptied
// the target's tables (0 rows left); it passes once they check before they
// destroy (issue 9 item 4). Run it with --gtest_also_run_disabled_tests.
TEST_P(TableExistsAction, DISABLED_WithoutSuperuserTruncateAndReplaceStopWith13AndKeepTheTarget) {
    if (GetParam().action != "truncate" && GetParam().action != "replace")
        GTEST_SKIP() << "truncate and replace only";
    expect_refused_without_superuser();
}

INSTANTIATE_TEST_SUITE_P(Actions, TableExistsAction,
                         ::testing::Values(Case{"skip", Via::clone}, Case{"append", Via::clone},
                                           Case{"truncate", Via::clone}, Case{"replace", Via::clone},
                                           Case{"skip", Via::import}, Case{"append", Via::import},
                                           Case{"truncate", Via::import}, Case{"replace", Via::import}),
                         case_name);

}  // namespace
}  // namespace dbclone::test
