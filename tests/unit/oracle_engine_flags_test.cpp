// The Oracle flags land in Request::engine_options under their long names,
// and the engine reads them from there.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "core/error.h"
#include "engine/engine.h"

namespace dbclone {
namespace {

TEST(OracleEngineFlags, ValuesAndSwitchesLandInEngineOptions) {
    CLI::App app;
    Request request;
    add_engine_options(app, Command::clone, request);
    std::vector<std::string> args = {
        "--app-id",     "auto",        "--download",   "/tmp/x",         "--keep-jobs",  "--copy-apex-users",
        "--reuse-user", "--workspace", "UR_PREPROD",   "--bucket-uri",   "https://b/o/", "--credential-name",
        "C1",           "--auth",      "oauth2",       "--insecure-tls", "--parallel",   "8",
        "--source-adb", "ur-prod",     "--target-adb", "ur-preprod",     "--app",        "100"};
    std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
    app.parse(args);
    auto& o = request.engine_options;
    EXPECT_EQ(o["app-id"], "auto");
    EXPECT_EQ(o["download"], "/tmp/x");
    EXPECT_EQ(o["keep-jobs"], "true");
    EXPECT_EQ(o["copy-apex-users"], "true");
    EXPECT_EQ(o["reuse-user"], "true");
    EXPECT_EQ(o["workspace"], "UR_PREPROD");
    EXPECT_EQ(o["bucket-uri"], "https://b/o/");
    EXPECT_EQ(o["credential-name"], "C1");
    EXPECT_EQ(o["auth"], "oauth2");
    EXPECT_EQ(o["insecure-tls"], "true");
    EXPECT_EQ(o["parallel"], "8");
    EXPECT_EQ(o["app"], "100");
    EXPECT_EQ(o["split"], "");
}

TEST(OracleEngineFlags, NoSecretFlagsExist) {
    CLI::App app;
    Request request;
    add_engine_options(app, Command::clone, request);
    for (const char* f : {"--password", "--auth-token", "--client-secret", "--token"})
        EXPECT_THROW(app.parse(std::vector<std::string>{"x", f}), CLI::ParseError) << f;
}

TEST(OracleEngineFlags, BadValuesAreUsageErrorsAtPlanTime) {
    Request r;
    r.command = Command::clone;
    r.source = "https://a.example/ords/admin";
    r.target = "https://b.example/ords/admin";
    r.source_schema = "S";
    r.engine_options = {{"bucket-uri", "https://b/o/"}, {"parallel", "0"}};
    RunResult result;
    auto engine = make_engine("oracle");
    EXPECT_THROW(engine->plan(r, result), Error);
    r.engine_options = {{"bucket-uri", "https://b/o/"}, {"app-id", "next"}};
    EXPECT_THROW(engine->plan(r, result), Error);
    r.engine_options = {{"bucket-uri", "https://b/o/"}, {"auth", "kerberos"}};
    EXPECT_THROW(engine->plan(r, result), Error);
    r.engine_options = {};
    EXPECT_THROW(engine->plan(r, result), Error);  // no bucket
    r.command = Command::verify;
    EXPECT_NO_THROW(engine->plan(r, result));  // verify needs none
    r.command = Command::clone;
    r.engine_options = {{"bucket-uri", "https://b/o/"}};
    r.target = "http://b.example/ords/admin";  // plain http off loopback
    EXPECT_THROW(engine->plan(r, result), Error);
}

}  // namespace
}  // namespace dbclone
