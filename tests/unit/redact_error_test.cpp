#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

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
