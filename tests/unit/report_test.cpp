#include "verify/report.h"

#include <gtest/gtest.h>

namespace dbclone {

TEST(Report, FailureMakesReportFail) {
    Report r("verify");
    r.add("rows", "public.a", CheckStatus::pass, "3 = 3");
    EXPECT_FALSE(r.has_failures());
    r.add("rows", "public.b", CheckStatus::fail, "source 3, target 2");
    EXPECT_TRUE(r.has_failures());
    auto j = r.to_json();
    EXPECT_EQ(j["failed"], 1);
    EXPECT_EQ(j["checks"][1]["status"], "fail");
    EXPECT_NE(r.to_text().find("public.b: source 3, target 2"), std::string::npos);
}

}  // namespace dbclone
