#include "cli/command_line.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"

namespace dbclone {
namespace {

Invocation parse(std::vector<std::string> args) {
    args.insert(args.begin(), "dbclone");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

ErrorKind parse_error(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const Error& e) {
        return e.kind();
    }
    return ErrorKind::internal;  // no error: the caller's expectation fails
}

TEST(CommandLine, CloneWithRemap) {
    auto inv = parse({"clone", "dbname=a", "dbname=b", "--schema", "src:dst", "--jobs", "7"});
    EXPECT_EQ(inv.request.command, Command::clone);
    EXPECT_EQ(inv.request.source, "dbname=a");
    EXPECT_EQ(inv.request.target, "dbname=b");
    EXPECT_EQ(inv.request.source_schema, "src");
    EXPECT_EQ(inv.request.target_schema, "dst");
    EXPECT_EQ(inv.request.jobs, 7u);
    EXPECT_FALSE(inv.plan_only);
    EXPECT_FALSE(inv.embedded);
}

TEST(CommandLine, SchemaWithoutMappingKeepsName) {
    auto inv = parse({"verify", "dbname=a", "dbname=b", "--schema", "Mixed Case"});
    EXPECT_EQ(inv.request.source_schema, "Mixed Case");
    EXPECT_EQ(inv.request.target_schema, "Mixed Case");
}

TEST(CommandLine, PlanPrefixOnlyPlans) {
    auto inv = parse({"plan", "import", "dbname=t", "--store", "/x", "--remap-schema", "a:b"});
    EXPECT_TRUE(inv.plan_only);
    EXPECT_EQ(inv.request.command, Command::import);
    EXPECT_EQ(inv.request.store_url, "/x");
    EXPECT_EQ(inv.request.target_schema, "b");
}

TEST(CommandLine, CloneWithoutDatabasesIsTheEmbeddedDefault) {
    ::unsetenv("DBCLONE_SOURCE");
    ::unsetenv("DBCLONE_TARGET");
    EXPECT_TRUE(parse({"clone"}).embedded);
    EXPECT_FALSE(parse({"clone", "dbname=a", "dbname=b", "--schema", "s"}).embedded);
}

TEST(CommandLine, ConnectionsFromTheEnvironment) {
    ::setenv("DBCLONE_SOURCE", "dbname=from_env", 1);
    auto inv = parse({"clone", "-", "dbname=b", "--schema", "s"});
    ::unsetenv("DBCLONE_SOURCE");
    EXPECT_EQ(inv.request.source, "dbname=from_env");
}

TEST(CommandLine, ImportLooksUnderAnyRetentionUnlessOneIsNamed) {
    auto any = parse({"import", "dbname=t", "--store", "/x", "--remap-schema", "a:b"}).request;
    EXPECT_TRUE(any.any_retention);
    auto named =
        parse({"import", "dbname=t", "--store", "/x", "--retention", "30d", "--schema", "a"}).request;
    EXPECT_FALSE(named.any_retention);
    EXPECT_EQ(named.retention, "30d");
    auto exported =
        parse({"export", "dbname=s", "--store", "/x", "--retention", "30d", "--schema", "a"}).request;
    EXPECT_EQ(exported.retention, "30d");
    EXPECT_FALSE(exported.any_retention);
}

TEST(CommandLine, TableExistsActions) {
    EXPECT_EQ(parse({"clone", "a", "b", "--schema", "s:d", "--table-exists-action", "truncate"})
                  .request.table_exists,
              TableExistsAction::truncate);
    EXPECT_EQ(parse({"clone", "a", "b", "--schema", "s:d"}).request.table_exists, TableExistsAction::none);
    EXPECT_EQ(parse_error({"clone", "a", "b", "--schema", "s:d", "--table-exists-action", "merge"}),
              ErrorKind::usage);
}

TEST(CommandLine, BadInputIsAUsageError) {
    EXPECT_EQ(parse_error({"clone", "a", "b"}), ErrorKind::usage);                    // no --schema
    EXPECT_EQ(parse_error({"clone", "a", "b", "--schema", ":d"}), ErrorKind::usage);  // empty source schema
    EXPECT_EQ(parse_error({"import", "t", "--store", "/x", "--remap-schema", "nocolon"}), ErrorKind::usage);
    EXPECT_EQ(parse_error({"import", "t", "--schema", "a"}), ErrorKind::usage);  // no --store
    EXPECT_EQ(parse_error({"clone", "a", "b", "--schema", "s", "--remap-schema", "s:d"}), ErrorKind::usage);
    EXPECT_EQ(parse_error({"frobnicate"}), ErrorKind::usage);
    EXPECT_EQ(parse_error({"clone", "a", "b", "--schema", "s", "--jobs", "0"}), ErrorKind::usage);
}

TEST(CommandLine, Sizes) {
    EXPECT_EQ(parse_size("64MiB"), 64u << 20);
    EXPECT_EQ(parse_size("1G"), 1u << 30);
    EXPECT_EQ(parse_size("8192"), 8192u);
    EXPECT_THROW(parse_size("12 parsecs"), Error);
    EXPECT_THROW(parse_size("MiB"), Error);
    EXPECT_THROW(parse_size("1"), Error);  // below the 4KiB floor
}

}  // namespace
}  // namespace dbclone
