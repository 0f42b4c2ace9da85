#include "cli/command_line.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "engine/engine.h"

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

// Issue 12: "a:b:c" silently created schema "b:c"; a ':' inside a name is
// written "\:".
TEST(CommandLine, SchemaMappingWithMoreThanOneColonIsRefused) {
    EXPECT_EQ(parse_error({"clone", "dbname=a", "dbname=b", "--remap-schema", "a:b:c"}), ErrorKind::usage);
    EXPECT_EQ(parse_error({"clone", "dbname=a", "dbname=b", "--schema", "a:b:c"}), ErrorKind::usage);
    auto inv = parse({"clone", "dbname=a", "dbname=b", "--remap-schema", "we\\:ird:copy\\:1"});
    EXPECT_EQ(inv.request.source_schema, "we:ird");
    EXPECT_EQ(inv.request.target_schema, "copy:1");
    auto same = parse({"clone", "dbname=a", "dbname=b", "--schema", "a\\:b"});
    EXPECT_EQ(same.request.source_schema, "a:b");
    EXPECT_EQ(same.request.target_schema, "a:b");
}

// Issue 12: a misspelt command was answered "A subcommand is required".
TEST(CommandLine, UnknownCommandIsNamed) {
    try {
        parse({"-j", "2", "clonee", "dbname=a", "dbname=b", "--schema", "s"});
        FAIL() << "an unknown command was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_EQ(e.message(), "unknown command 'clonee'");
        EXPECT_NE(e.hint().find("clone"), std::string::npos) << e.hint();
    }
    EXPECT_EQ(parse({"--work-dir", "/tmp/x", "plan", "clone", "dbname=a", "dbname=b", "--schema", "s"})
                  .request.command,
              Command::clone);
}

// Every global option that takes a value is skipped with its value when the
// command is looked for (the list once missed --lock-wait-timeout).
TEST(CommandLine, GlobalOptionValuesAreNotTakenForTheCommand) {
    auto inv = parse({"--lock-wait-timeout", "1s", "--engine", "postgres", "--jobs", "2", "refresh",
                      "dbname=a", "dbname=b", "--schema", "s:t"});
    EXPECT_EQ(inv.request.command, Command::refresh);
    EXPECT_EQ(inv.request.lock_wait_timeout, "1s");
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

std::vector<std::string> export_with_chunks(const std::string& size) {
    return {"export", "dbname=a", "--schema", "s", "--store", "/tmp/x", "--chunk-size", size};
}

TEST(CommandLine, Sizes) {
    EXPECT_EQ(parse({"export", "dbname=a", "--schema", "s", "--store", "/tmp/x"}).request.chunk_bytes,
              64u << 20);
    EXPECT_EQ(parse(export_with_chunks("64MiB")).request.chunk_bytes, 64u << 20);
    EXPECT_EQ(parse(export_with_chunks("1G")).request.chunk_bytes, 1u << 30);
    EXPECT_EQ(parse(export_with_chunks("256KiB")).request.chunk_bytes, 256u << 10);
    EXPECT_EQ(parse(export_with_chunks("8192")).request.chunk_bytes, 8192u);
    EXPECT_EQ(parse_error(export_with_chunks("12 parsecs")), ErrorKind::usage);
    EXPECT_EQ(parse_error(export_with_chunks("MiB")), ErrorKind::usage);
    EXPECT_EQ(parse_error(export_with_chunks("1")), ErrorKind::usage);  // below the 4KiB floor
}

TEST(CommandLine, TypedChoices) {
    auto inv = parse({"import", "dbname=b", "--schema", "s", "--store", "/tmp/x", "--table-exists-action",
                      "truncate", "--sequences", "keep"});
    EXPECT_EQ(inv.request.table_exists, TableExistsAction::truncate);
    EXPECT_EQ(inv.request.sequences, SequencesMode::keep);
    auto plain = parse({"clone", "dbname=a", "dbname=b", "--schema", "s"});
    EXPECT_EQ(plain.request.table_exists, TableExistsAction::none);
    EXPECT_EQ(plain.request.sequences, SequencesMode::sync);
    EXPECT_EQ(parse_error({"clone", "a", "b", "--schema", "s", "--table-exists-action", "merge"}),
              ErrorKind::usage);
    EXPECT_EQ(parse_error({"clone", "a", "b", "--schema", "s", "--sequences", "reset"}), ErrorKind::usage);
    EXPECT_EQ(parse_error({"clone", "a", "b", "--schema", "s", "--jobs", "257"}), ErrorKind::usage);
}

TEST(CommandLine, OracleOptionsAreCheckedWhileParsing) {
    const std::string ords = "https://a.example/ords/admin";
    EXPECT_EQ(
        parse({"clone", ords, ords, "--schema", "S", "--parallel", "8"}).request.engine_options["parallel"],
        "8");
    EXPECT_EQ(parse_error({"clone", ords, ords, "--schema", "S", "--parallel", "0"}), ErrorKind::usage);
    EXPECT_EQ(parse_error({"clone", ords, ords, "--schema", "S", "--auth", "kerberos"}), ErrorKind::usage);
    EXPECT_EQ(parse_error({"clone", ords, ords, "--schema", "S", "--app-id", "next"}), ErrorKind::usage);
    EXPECT_EQ(
        parse({"clone", ords, ords, "--schema", "S", "--app-id", "auto"}).request.engine_options["app-id"],
        "auto");
    EXPECT_EQ(
        parse({"clone", ords, ords, "--schema", "S", "--app-id", "4711"}).request.engine_options["app-id"],
        "4711");
}

// Issue 11: for Oracle, --bucket-uri names where the dump goes; --store is
// not asked for (plan export, export, import), and the plan builds.
TEST(CommandLine, OracleExportAndImportNeedOnlyTheBucket) {
    const std::string ords = "https://ur-prod.adb.example/ords/admin";
    const std::string bucket = "https://objectstorage.example/n/ns/b/dumps/o/";
    auto plan = parse({"plan", "export", ords, "--schema", "WKSP_PROD", "--bucket-uri", bucket});
    EXPECT_TRUE(plan.plan_only);
    EXPECT_EQ(plan.request.command, Command::export_);
    EXPECT_TRUE(plan.request.store_url.empty());
    RunResult result;
    EXPECT_NO_THROW(make_engine("oracle")->plan(plan.request, result));
    EXPECT_EQ(parse_error({"plan", "export", ords, "--schema", "WKSP_PROD"}), ErrorKind::usage);

    auto imp = parse({"import", ords, "--schema", "WKSP_PROD:WKSP_QA", "--bucket-uri", bucket, "--dump",
                      "20260501T010000", "--table-exists-action", "truncate"});
    EXPECT_EQ(imp.request.target, ords);
    EXPECT_TRUE(imp.request.source.empty());
    EXPECT_EQ(imp.request.dump_path, "20260501T010000");
    EXPECT_TRUE(imp.request.any_retention);
    EXPECT_NO_THROW(make_engine("oracle")->plan(imp.request, result));
}

TEST(CommandLine, DumpsListsOrPrunesOneDatabasesBucket) {
    const std::string ords = "https://ur-prod.adb.example/ords/admin";
    const std::string bucket = "https://objectstorage.example/n/ns/b/dumps/o/";
    auto list = parse({"dumps", ords, "--bucket-uri", bucket});
    EXPECT_EQ(list.request.command, Command::dumps);
    EXPECT_EQ(list.request.source, ords);
    EXPECT_TRUE(list.request.source_schema.empty());
    EXPECT_TRUE(list.request.any_retention);
    auto prune = parse({"plan", "dumps", ords, "--bucket-uri", bucket, "--schema", "WKSP_PROD", "--prune",
                        "--older-than", "7d", "--retention", "temp"});
    EXPECT_TRUE(prune.request.prune);
    EXPECT_EQ(prune.request.older_than, "7d");
    EXPECT_EQ(prune.request.retention, "temp");
    EXPECT_EQ(parse_error({"dumps", ords, "--bucket-uri", bucket, "--prune", "--older-than", "7w"}),
              ErrorKind::usage);
    EXPECT_EQ(parse_error({"dumps", "--bucket-uri", bucket}), ErrorKind::usage);  // no database
    EXPECT_EQ(parse_error({"dumps", ords}), ErrorKind::usage);                    // no bucket
}

}  // namespace
}  // namespace dbclone
