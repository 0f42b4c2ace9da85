// dbclone decides on SQLSTATE codes, never on message text: a target whose
// server speaks German (lc_messages = de_DE.UTF-8) must behave exactly as an
// English one where an object "already exists" (loading into an existing
// schema keeps the objects that are there).
#include <gtest/gtest.h>

#include "core/error.h"
#include "harness.h"

namespace dbclone::test {
namespace {

// Sets lc_messages for every new session in db; empty when the server now
// answers in German, else why not (the locale or the translation is missing).
std::string make_german(EmbeddedCluster& cluster, const std::string& db) {
    try {
        cluster.run_sql("postgres", "ALTER DATABASE \"" + db + "\" SET lc_messages TO 'de_DE.UTF-8'");
    } catch (const Error& e) {
        return "locale de_DE.UTF-8 is not installed (scripts/install-deps.sh --test generates it): " +
               e.one_line();
    }
    try {
        cluster.query_value(db, "SELECT 1/0");
    } catch (const Error& e) {
        if (e.one_line().find("Division durch Null") != std::string::npos) return {};
        return "the server does not translate its messages (no German catalogue): " + e.one_line();
    }
    return "SELECT 1/0 did not fail";
}

TEST(LocalizedMessages, ExistingObjectsAreRecognisedByCodeOnAGermanServer) {
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto& h = Harness::get();
    auto db = h.new_target_db("german");
    if (auto why = make_german(h.target(), db); !why.empty()) GTEST_SKIP() << why;

    const std::vector<std::string> clone{"clone", h.source_conninfo(), h.target().conninfo(db), "--schema",
                                         "tea:tea_de"};
    auto first = run_dbclone(clone);
    ASSERT_EQ(first.exit_code, 0) << describe(first);

    // Every table, key, index and constraint is already there: each CREATE
    // fails with a (German) duplicate-object error that must be recognised.
    for (const std::string action : {"skip", "truncate"}) {
        auto args = clone;
        args.insert(args.end(), {"--table-exists-action", action});
        auto again = run_dbclone(args);
        ASSERT_EQ(again.exit_code, 0) << action << ": " << describe(again);
    }
    expect_same_schema(h.source(), kSourceDb, kTea, h.target(), db, "tea_de");

    // A failure still reports the server's code next to its German text.
    auto exists = run_dbclone(clone);
    EXPECT_EQ(exists.exit_code, 6) << describe(exists);
}

}  // namespace
}  // namespace dbclone::test
