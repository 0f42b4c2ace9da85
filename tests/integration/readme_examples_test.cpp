// The README's PostgreSQL examples run as written: every `dbclone ...` line of
// its sh blocks that uses libpq connections is read from README.md at test
// time and run against the test servers, with only the connections, the
// store directory and the binary's path put in. "host=prod dbname=app" is a
// source database holding the demo schema as `app`; "host=preprod
// dbname=app" is a fresh target database for each command that creates a
// schema (clone, import, plan) and the last one filled for verify.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "embedded/demo_schema.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr const char* kReadmeSource = "host=prod dbname=app";
constexpr const char* kReadmeTarget = "host=preprod dbname=app";
constexpr const char* kReadmeStore = "/backups";

// The `dbclone` command lines of the README's ```sh blocks, continuation
// lines joined and trailing comments removed.
std::vector<std::string> readme_commands() {
    std::ifstream in(std::filesystem::path(DBCLONE_SOURCE_DIR) / "README.md");
    std::vector<std::string> out;
    std::string line;
    bool in_sh = false;
    std::string pending;
    while (std::getline(in, line)) {
        if (line.rfind("```", 0) == 0) {
            in_sh = !in_sh && line == "```sh";
            continue;
        }
        if (!in_sh) continue;
        if (!pending.empty()) {
            pending += " " + line;
        } else if (line.rfind("dbclone ", 0) == 0) {
            pending = line;
        } else {
            continue;
        }
        if (!pending.empty() && pending.back() == '\\') {
            pending.pop_back();
            continue;
        }
        if (auto hash = pending.find(" #"); hash != std::string::npos) pending.erase(hash);
        out.push_back(pending);
        pending.clear();
    }
    return out;
}

// Shell-like words: blanks separate, "..." and '...' group.
std::vector<std::string> words(const std::string& command) {
    std::vector<std::string> out;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (char c : command) {
        if (quote != 0) {
            if (c == quote)
                quote = 0;
            else
                word += c;
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t') {
            if (in_word) out.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) out.push_back(word);
    return out;
}

bool is_postgres_example(const std::vector<std::string>& argv) {
    for (const auto& w : argv)
        if (w.find("https://") != std::string::npos || w.find("...") != std::string::npos) return false;
    return true;
}

TEST(Readme, PostgresExamplesRunAsWritten) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto commands = readme_commands();
    ASSERT_GE(commands.size(), 5U) << "README.md has fewer dbclone examples than this test knows";

    // "host=prod dbname=app": the demo schema under the name the README uses.
    const std::string source_db = "readme_src";
    Harness::create_app_database(h.source(), source_db);
    Harness::run_sql_as_app(h.source(), source_db,
                            read_file(find_demo_sql()) + "\nALTER SCHEMA shop RENAME TO app;");
    const std::string source = Harness::as_app_role(h.source().conninfo(source_db));
    auto store = h.new_dir("readme-backups");

    std::string target_db;
    int ran = 0;
    for (const auto& command : commands) {
        auto argv = words(command);
        if (!is_postgres_example(argv)) continue;
        argv.erase(argv.begin());  // "dbclone"
        const std::string verb = argv.at(0) == "plan" ? "plan" : argv.at(0);
        if (verb != "verify" || target_db.empty()) target_db = h.new_target_db("readme_" + verb);
        for (auto& w : argv) {
            if (w == kReadmeSource) w = source;
            if (w == kReadmeTarget) w = h.target_conninfo(target_db);
            if (w == kReadmeStore) w = store.string();
        }
        auto r = run_dbclone(argv);
        ++ran;
        EXPECT_EQ(r.exit_code, 0) << "README example: " << command << describe(r);
        if (r.exit_code == 0 && (verb == "clone" || verb == "import"))
            expect_same_schema(h.source(), source_db, "app", h.target(), target_db, "app_preprod");
        if (verb == "plan") {
            EXPECT_FALSE(schema_exists(h.target(), target_db, "app_preprod")) << "plan changed the target";
        }
    }
    EXPECT_GE(ran, 5) << "the README's PostgreSQL examples were not found";
}

}  // namespace
}  // namespace dbclone::test
