// run_subprocess: argv without a shell, stdin fed, both outputs captured,
// environment filtered, runaway children killed.
#include "embedded/subprocess.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace dbclone {
namespace {

TEST(Subprocess, FeedsStdinAndCapturesBothOutputs) {
    std::string big(3 * 1024 * 1024, 'x');  // more than any pipe buffer
    big += "\nend";
    auto r = run_subprocess({"cat"}, {.stdin_data = big});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, big);
    EXPECT_EQ(r.err, "");

    auto e = run_subprocess({"ls", "/nonexistent-dbclone-path"});
    EXPECT_NE(e.exit_code, 0);
    EXPECT_NE(e.err.find("nonexistent-dbclone-path"), std::string::npos) << e.err;
}

TEST(Subprocess, ArgumentsAreNotInterpretedByAShell) {
    auto r = run_subprocess({"echo", "$HOME; rm -rf / `x` 'q'"});
    EXPECT_EQ(r.out, "$HOME; rm -rf / `x` 'q'\n");
}

TEST(Subprocess, EnvironmentIsFilteredAndSet) {
    setenv("PGSERVICE_DBCLONE_TEST", "leak", 1);
    SubprocessOptions opts{.drop_env_prefixes = {"PG"}};
    opts.env["DBCLONE_TEST_VAR"] = "set here";
    auto r = run_subprocess({"env"}, opts);
    unsetenv("PGSERVICE_DBCLONE_TEST");
    EXPECT_EQ(r.out.find("PGSERVICE_DBCLONE_TEST"), std::string::npos);
    EXPECT_NE(r.out.find("DBCLONE_TEST_VAR=set here\n"), std::string::npos);
}

TEST(Subprocess, ExitCodeAndTimeout) {
    EXPECT_EQ(run_subprocess({"false"}).exit_code, 1);
    auto r = run_subprocess({"sleep", "10"}, {.timeout = std::chrono::milliseconds(200)});
    EXPECT_TRUE(r.timed_out);
    EXPECT_NE(r.exit_code, 0);
}

TEST(Subprocess, InterruptIsSentOnce) {
    auto r = run_subprocess({"sleep", "10"}, {.timeout = std::chrono::milliseconds(5000),
                                              .interrupt_after = std::chrono::milliseconds(100)});
    EXPECT_TRUE(r.interrupted);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 128 + 2);  // killed by SIGINT
}

TEST(Subprocess, MissingProgramIsAnIoError) {
    try {
        run_subprocess({"dbclone-no-such-program"});
        ADD_FAILURE() << "expected Error(io)";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::io);
    }
}

TEST(Subprocess, FindsProgramsOnPath) {
    EXPECT_FALSE(find_on_path("sh").empty());
    EXPECT_TRUE(find_on_path("dbclone-no-such-program").empty());
}

}  // namespace
}  // namespace dbclone
