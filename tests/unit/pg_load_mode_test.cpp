// How a table loads (commands/load_steps): whether it receives rows and
// whether it is emptied in the load transaction, from staging versus an
// existing target schema and --table-exists-action.
#include <gtest/gtest.h>

#include "engine/postgres/commands/load_steps.h"

namespace dbclone::pg {
namespace {

struct Mode {
    bool receives;
    bool truncated_first;
};

Mode mode(bool into_existing, TableExistsAction action, bool table_exists) {
    Request request;
    request.table_exists = action;
    RunResult result;
    PgRun run(request, result);
    run.into_existing = into_existing;
    if (table_exists) run.existing_tables.insert("t");
    return {table_receives_rows(run, "t"), table_truncated_first(run, "t")};
}

TEST(PgLoadMode, StagingTablesAreFreshAndTruncatedInTheLoadTransaction) {
    auto m = mode(false, TableExistsAction::none, false);
    EXPECT_TRUE(m.receives);
    EXPECT_TRUE(m.truncated_first);  // COPY FREEZE needs the TRUNCATE in the same transaction
    // Without an existing schema the action changes nothing.
    m = mode(false, TableExistsAction::skip, true);
    EXPECT_TRUE(m.receives);
    EXPECT_TRUE(m.truncated_first);
}

TEST(PgLoadMode, ExistingTablesFollowTheAction) {
    auto skip = mode(true, TableExistsAction::skip, true);
    EXPECT_FALSE(skip.receives);
    auto append = mode(true, TableExistsAction::append, true);
    EXPECT_TRUE(append.receives);
    EXPECT_FALSE(append.truncated_first);  // the rows already there stay
    auto truncate = mode(true, TableExistsAction::truncate, true);
    EXPECT_TRUE(truncate.receives);
    EXPECT_TRUE(
        truncate.truncated_first);  // emptied in the transaction that loads it (readers: old or new rows)
    auto replace = mode(true, TableExistsAction::replace, true);
    EXPECT_TRUE(replace.receives);
    EXPECT_TRUE(replace.truncated_first);  // dropped and created again by this run
}

TEST(PgLoadMode, TablesNewInAnExistingSchemaLoadLikeStaging) {
    for (auto action : {TableExistsAction::skip, TableExistsAction::append, TableExistsAction::truncate}) {
        auto m = mode(true, action, false);
        EXPECT_TRUE(m.receives);
        EXPECT_TRUE(m.truncated_first);
    }
}

}  // namespace
}  // namespace dbclone::pg
