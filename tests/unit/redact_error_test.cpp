#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/redact.h"

namespace dbclone {
namespace {

TEST(Redact, MasksPasswordsInConnectionStrings) {
    EXPECT_EQ(redact("host=x password=hunter22 user=u"), "host=x password=***** user=u");
    EXPECT_EQ(redact("host=x password='a b\\'c' user=u"), "host=x password=***** user=u");
    EXPECT_EQ(redact("postgresql://alice:s3cr3t@db:5432/app"), "postgresql://alice:*****@db:5432/app");
    EXPECT_EQ(redact("Authorization: Basic QWxhZGRpbjpvcGVu"), "Authorization: Basic *****");
}

TEST(Redact, LeavesPlsqlNamedArgumentsAlone) {
    EXPECT_EQ(redact("password        => :password);"), "password        => :password);");
    EXPECT_EQ(redact("password =secret1"), "password =*****");
}

TEST(Redact, MasksRegisteredSecretsAnywhere) {
    register_secret("Tr0ub4dor&3");
    EXPECT_EQ(redact("server said: bad token Tr0ub4dor&3 here"), "server said: bad token ***** here");
    EXPECT_EQ(redact("nothing secret"), "nothing secret");
}

TEST(Redact, MasksEveryShapeOnOneLine) {
    EXPECT_EQ(
        redact("from postgresql://a:pw1@h1/db to host=h2 PASSWORD=pw2 with Authorization: Bearer tok.en"),
        "from postgresql://a:*****@h1/db to host=h2 PASSWORD=***** with Authorization: Bearer *****");
}

TEST(Redact, KeepsKeyCaseAndSpacingAndMasksBearerTokens) {
    EXPECT_EQ(redact("Token = abc123 Pwd='x y'"), "Token = ***** Pwd=*****");
    EXPECT_EQ(redact("authorization: bearer eyJhbGciOi.x.y done"), "authorization: bearer ***** done");
    EXPECT_EQ(redact("secret =>x"), "secret =>x");
    EXPECT_EQ(redact("postgresql://alice@db/app?password=s3cr3t&x=1"),
              "postgresql://alice@db/app?password=*****");
}

TEST(Redact, LeavesTextWithoutSecretsAsItIs) {
    EXPECT_EQ(redact(""), "");
    EXPECT_EQ(redact("https://host/ords/admin/_/sql"), "https://host/ords/admin/_/sql");
    EXPECT_EQ(redact("token"), "token");
    const std::string bytes("caf\xc3\xa9 \xff\xfe ok");
    EXPECT_EQ(redact(bytes), bytes);
}

TEST(Redact, MasksTheLongerOfTwoSecretsThatShareAStartAndQuotesMetacharacters) {
    register_secret("Ab12");
    register_secret("Ab12Cd34");
    register_secret("a.b*c(d)+[e]");
    EXPECT_EQ(redact("x Ab12Cd34 y Ab12 z"), "x ***** y ***** z");
    EXPECT_EQ(redact("axbbc(d)+[e] a.b*c(d)+[e]"), "axbbc(d)+[e] *****");
    EXPECT_EQ(redact("ab12cd34"), "ab12cd34");  // registered values are matched as written
}

TEST(Redact, IsSafeFromSeveralThreads) {
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t, &wrong] {
            for (int i = 0; i < 200; ++i) {
                if (i == 100) register_secret("thread-secret-" + std::to_string(t));
                if (redact("password=p" + std::to_string(i)) != "password=*****") ++wrong;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(redact("thread-secret-0 thread-secret-3"), "***** *****");
}

TEST(Error, ContextReadsOutsideIn) {
    Error e(ErrorKind::corrupt_artefact, "chunk data/t0001/000002.copy.zst checksum mismatch");
    e.add_context("loading table \"film\"");
    e.add_context("step load-data");
    EXPECT_EQ(e.one_line(),
              "step load-data: loading table \"film\": chunk data/t0001/000002.copy.zst checksum mismatch");
    EXPECT_EQ(exit_code(e.kind()), 7);
}

TEST(Error, ExitCodesAreDistinct) {
    const ErrorKind kinds[] = {ErrorKind::usage,
                               ErrorKind::connection,
                               ErrorKind::authentication,
                               ErrorKind::not_found,
                               ErrorKind::target_exists,
                               ErrorKind::corrupt_artefact,
                               ErrorKind::io,
                               ErrorKind::sql,
                               ErrorKind::remote_job,
                               ErrorKind::verify_mismatch,
                               ErrorKind::interrupted,
                               ErrorKind::unsupported,
                               ErrorKind::internal};
    std::set<int> codes;
    for (auto k : kinds) {
        EXPECT_NE(exit_code(k), 0);
        codes.insert(exit_code(k));
    }
    EXPECT_EQ(codes.size(), std::size(kinds));
}

TEST(Error, WithContextWrapsForeignExceptions) {
    try {
        with_context("reading x", [] { throw std::runtime_error("bad"); });
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::internal);
        EXPECT_EQ(e.one_line(), "reading x: bad");
    }
}

}  // namespace
}  // namespace dbclone
