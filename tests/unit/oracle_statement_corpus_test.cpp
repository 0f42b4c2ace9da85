// Every SQL and PL/SQL text the Oracle engine can send, gathered for the
// grammar check (tests/oracle/grammar/, ctest entry oracle_grammar):
//   - what the scripted source and target ADBs received, step by step, in
//     full runs of clone (three option sets), refresh, export, doctor,
//     verify, import (new schema, with --app, and truncate) and dumps (list
//     and prune),
//     including PL/SQL passed as a Scheduler job's action;
//   - the statements each plan step shows (`dbclone plan`);
//   - every template in src/engine/oracle/plsql/ with its {{placeholders}}
//     filled as the engine fills them.
// The test checks that the runs reach every template (so the corpus is the
// whole engine, not a sample) and, when DBCLONE_ORACLE_STATEMENTS names a
// file, writes the corpus there as JSON [{"name", "text"}].
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "core/journal.h"
#include "core/progress.h"
#include "engine/engine.h"
#include "engine/oracle/oracle_statements.h"
#include "oracle/adb_scripts.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

struct Entry {
    std::string name;
    std::string text;
};

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
    return s.substr(start);
}

// The statements of a step's detail as render() writes them: each text, its
// binds as "-- :name = value" lines, then a line "/".
std::vector<std::string> detail_statements(const std::string& detail) {
    std::vector<std::string> out;
    std::istringstream in(detail);
    std::string line, current;
    while (std::getline(in, line)) {
        if (line == "/") {
            if (!trim(current).empty()) out.push_back(trim(current));
            current.clear();
        } else if (line.rfind("-- :", 0) != 0) {
            current += line + "\n";
        }
    }
    return out;
}

// A plan shows values known only at run time as <placeholders>; outside
// quotes (inside they are part of a quoted name or literal and parse) they
// stand for a number here, which is what they become.
std::string fill_placeholders(const std::string& text) {
    static const std::regex placeholder(R"(^<[A-Za-z][^<>'"\n]*>)");
    std::string out;
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '<') {
            std::smatch m;
            std::string rest = text.substr(i);
            if (std::regex_search(rest, m, placeholder)) {
                out += "0";
                i += static_cast<std::size_t>(m.length(0)) - 1;
                continue;
            }
        }
        out += c;
    }
    return out;
}

class Corpus {
public:
    void add(const std::string& name, const std::string& text) {
        std::string t = trim(text);
        if (t.empty() || !seen_.insert(t).second) return;  // one entry per distinct text
        entries_.push_back({name, t});
    }
    // Runs a plan step by step, naming each request by the step that sent
    // it; steps the journal has as done are skipped (a resumed run). Returns
    // false at the first step that fails (a failure only `may_fail` allows).
    bool run(const std::string& scenario, const Request& request, OrdsTestServer& source,
             OrdsTestServer& target, Journal& journal, bool may_fail) {
        RunResult result;
        Plan plan = make_engine("oracle")->plan(request, result);
        Progress progress(Progress::Style::quiet);
        std::size_t seen_source = source.requests().size(), seen_target = target.requests().size();
        for (auto& step : plan.steps()) {
            for (const auto& s : detail_statements(step.detail))
                add(scenario + " plan " + step.id, fill_placeholders(s));
            if (journal.done(step.id) && !step.rerun_on_resume) continue;
            StepContext ctx{journal, progress};
            bool ok = true;
            try {
                step.run(ctx);
                journal.mark_done(step.id);
            } catch (const std::exception& e) {
                if (!may_fail) ADD_FAILURE() << scenario << ": step " << step.id << " failed: " << e.what();
                ok = false;
            }
            collect(scenario, step.id, "source", source, seen_source);
            collect(scenario, step.id, "target", target, seen_target);
            if (!ok) return false;
        }
        return true;
    }
    const std::vector<Entry>& entries() const { return entries_; }

private:
    void collect(const std::string& scenario, const std::string& step, const std::string& side,
                 const OrdsTestServer& server, std::size_t& seen) {
        auto requests = server.requests();
        for (; seen < requests.size(); ++seen) {
            const auto& r = requests[seen];
            std::string name = scenario + " step " + step + " (" + side + ")";
            add(name, r.statement());
            if (r.has_bind("job_action")) add(name + " job_action", r.bind("job_action"));
        }
    }

    std::vector<Entry> entries_;
    std::set<std::string> seen_;
};

Request request(Command command, const OrdsTestServer& source, const OrdsTestServer& target,
                std::map<std::string, std::string> extra) {
    Request r;
    r.command = command;
    r.source = source.base_url();
    r.target = target.base_url();
    r.source_schema = "WKSP_PROD";
    r.target_schema = "WKSP_URPREPROD";
    r.engine_options = {{"bucket-uri", kBucket},   {"workspace", "UR_PREPROD"},
                        {"source-adb", "ur-prod"}, {"target-adb", "ur-preprod"},
                        {"poll-ms", "0"},          {"retry-ms", "0"}};
    for (auto& [k, v] : extra) r.engine_options[k] = v;
    return r;
}

// The templates with their {{placeholders}} filled as oracle_statements.cpp
// fills them (one entry per alternative of a choice).
void add_templates(Corpus& corpus) {
    const std::map<std::string, std::vector<std::string>> fills = {
        {"SCHEMA", {"\"WKSP_URPREPROD\""}},
        {"PASSWORD", {"Secret-Pass_123"}},
        {"APP_ID_CALL",
         {"APEX_APPLICATION_INSTALL.GENERATE_APPLICATION_ID;",
          "APEX_APPLICATION_INSTALL.SET_APPLICATION_ID(p_application_id => :app_id);"}},
    };
    for (const auto& f :
         std::filesystem::directory_iterator(std::string(DBCLONE_SOURCE_DIR) + "/src/engine/oracle/plsql")) {
        if (f.path().extension() != ".sql") continue;
        std::string name = f.path().filename().string();
        std::vector<std::string> texts = {plsql(name)};
        for (const auto& [key, values] : fills) {
            std::vector<std::string> next;
            for (const auto& t : texts) {
                if (t.find("{{" + key + "}}") == std::string::npos) {
                    next.push_back(t);
                    continue;
                }
                for (const auto& v : values)
                    next.push_back(std::regex_replace(t, std::regex("\\{\\{" + key + "\\}\\}"), v));
            }
            texts = next;
        }
        for (const auto& t : texts) {
            EXPECT_EQ(t.find("{{"), std::string::npos)
                << name << " has a placeholder this test does not fill";
            corpus.add("template " + name, t);
        }
    }
}

std::string squeeze(const std::string& text) {  // runs of white space as one blank
    std::string out;
    for (char c : text) {
        bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    return out;
}

// A template reached by the runs: its text, cut at each {{placeholder}} and
// :bind (filled, or inlined into a Scheduler job's action, at run time),
// occurs piece by piece, in order, in one of the texts sent.
bool reached(const std::string& template_text, const std::vector<Entry>& sent) {
    static const std::regex cut(R"(\{\{[A-Z_]+\}\}|:[A-Za-z_][A-Za-z0-9_]*)");
    std::vector<std::string> pieces;
    std::string t = squeeze(template_text);
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(t.begin(), t.end(), cut); it != std::sregex_iterator(); ++it) {
        pieces.push_back(t.substr(last, static_cast<std::size_t>(it->position()) - last));
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    pieces.push_back(t.substr(last));
    for (const auto& e : sent) {
        std::string text = squeeze(e.text);
        std::size_t at = 0;
        bool all = true;
        for (const auto& p : pieces) {
            if (p.empty() || p == " ") continue;
            auto found = text.find(p, at);
            if (found == std::string::npos) {
                all = false;
                break;
            }
            at = found + p.size();
        }
        if (all) return true;
    }
    return false;
}

TEST(OracleStatementCorpus, RunsReachEveryTemplate) {
    ScopedEnv env;
    set_test_secrets(env);
    Corpus corpus;

    struct Scenario {
        std::string name;
        Command command;
        std::map<std::string, std::string> options;
        std::function<void(OrdsTestServer&, OrdsTestServer&)> script;
        // When set: the first run must fail, and a resumed run (same
        // journal, these options on top) must finish.
        std::optional<std::map<std::string, std::string>> resume;
    };
    auto fetch = [](OrdsTestServer& s) {  // the stored APEX export, read back in pieces
        s.on("TO_CLOB(DBMS_CLOUD.GET_OBJECT", [](const Received& r, int) {
            return query_reply(r.statement(), {{{"piece_no", 1}, {"piece", "end;\n"}}});
        });
    };
    auto plain = [fetch](OrdsTestServer& s, OrdsTestServer& t) {
        script_preflight(s, false);
        script_preflight(t, true);
        fetch(s);
        script_source(s);
        script_target(t);
    };
    auto refresh_with = [](ScriptOptions options) {
        return [options](OrdsTestServer& s, OrdsTestServer& t) {
            script_preflight(s, false);
            script_preflight(t, true);
            script_source(s);
            script_refresh_target(t, options);
        };
    };
    // A bucket with one finished dump set of the schema: import reads it,
    // dumps lists it and prunes it (it is years old).
    const auto bucket = dump_set_objects(std::string(kPrefixBase) + "20200101T000000/");
    auto import_from_bucket = [bucket](OrdsTestServer&, OrdsTestServer& t) {
        auto with_apex = bucket;  // the APEX export an export --app 100 left next to the set
        with_apex.push_back("temp/ur-prod/apex/100/20200101T000000/f100.sql");
        script_bucket(t, with_apex);
        script_preflight(t, true);
        script_target(t);
    };
    auto reload_from_bucket = [bucket](OrdsTestServer&, OrdsTestServer& t) {
        script_bucket(t, bucket);
        script_preflight(t, true);
        script_refresh_target(t);
    };
    auto bucket_on_source = [bucket](OrdsTestServer& s, OrdsTestServer&) { script_bucket(s, bucket); };
    ScriptOptions import_refused_once;
    import_refused_once.import_503_times = 1;
    ScriptOptions slow_validation;
    slow_validation.executing_polls = 30;  // outlasts a 1 s job timeout at 100 ms a poll
    const std::vector<Scenario> scenarios = {
        {"clone --app 100", Command::clone, {{"app", "100"}}, plain, std::nullopt},
        {"clone --app 100 --app-id auto --split --copy-apex-users --download --no-preflight",
         Command::clone,
         {{"app", "100"},
          {"app-id", "auto"},
          {"split", "true"},
          {"copy-apex-users", "true"},
          {"no-preflight", "true"},
          {"download",
           (std::filesystem::temp_directory_path() / ("dbclone-corpus-apex-" + std::to_string(::getpid())))
               .string()}},
         plain,
         std::nullopt},
        {"clone --app 100 --app-id 250 --keep-jobs",
         Command::clone,
         {{"app", "100"}, {"app-id", "250"}, {"keep-jobs", "true"}},
         plain,
         std::nullopt},
        {"refresh --app 100", Command::refresh, {{"app", "100"}}, refresh_with({}), std::nullopt},
        {"refresh, import refused once, --resume",
         Command::refresh,
         {},
         refresh_with(import_refused_once),
         std::map<std::string, std::string>{}},
        {"refresh, validation outlasting the job timeout, --resume",
         Command::refresh,
         {{"poll-ms", "100"}, {"job-timeout", "1"}},
         refresh_with(slow_validation),
         std::map<std::string, std::string>{{"job-timeout", "600"}}},
        {"export --app 100", Command::export_, {{"app", "100"}}, plain, std::nullopt},
        {"doctor --app 100", Command::doctor, {{"app", "100"}}, plain, std::nullopt},
        {"verify --app 100", Command::verify, {{"app", "100"}}, plain, std::nullopt},
        {"import", Command::import, {}, import_from_bucket, std::nullopt},
        {"import --app 100 --app-id auto",
         Command::import,
         {{"app", "100"}, {"app-id", "auto"}},
         import_from_bucket,
         std::nullopt},
        {"import --table-exists-action truncate --max-parallel 2",
         Command::import,
         {{"table-exists-action", "truncate"}, {"max-parallel", "2"}},
         reload_from_bucket,
         std::nullopt},
        {"dumps", Command::dumps, {}, bucket_on_source, std::nullopt},
        {"dumps --prune --older-than 7d --yes",
         Command::dumps,
         {{"prune", "true"}, {"older-than", "7d"}, {"yes", "true"}},
         bucket_on_source,
         std::nullopt},
    };
    for (const auto& sc : scenarios) {
        OrdsTestServer source, target;
        sc.script(source, target);
        Journal journal;
        Request r = request(sc.command, source, target, sc.options);
        // --table-exists-action is a Request field, not an engine option.
        if (r.engine_options.erase("table-exists-action")) r.table_exists = TableExistsAction::truncate;
        command_line_fields(r);
        r.any_retention = true;
        bool finished = corpus.run(sc.name, r, source, target, journal, sc.resume.has_value());
        if (!sc.resume) continue;
        EXPECT_FALSE(finished) << sc.name << ": the first run was meant to stop";
        for (const auto& [k, v] : *sc.resume) r.engine_options[k] = v;
        corpus.run(sc.name + " (resumed)", r, source, target, journal, false);
    }
    std::vector<Entry> sent = corpus.entries();
    add_templates(corpus);

    std::vector<std::string> unreached;
    for (const auto& f :
         std::filesystem::directory_iterator(std::string(DBCLONE_SOURCE_DIR) + "/src/engine/oracle/plsql")) {
        if (f.path().extension() != ".sql") continue;
        if (!reached(plsql(f.path().filename().string()), sent))
            unreached.push_back(f.path().filename().string());
    }
    EXPECT_TRUE(unreached.empty()) << "templates no scripted run sent: "
                                   << ::testing::PrintToString(unreached);

    if (const char* out = std::getenv("DBCLONE_ORACLE_STATEMENTS")) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& e : corpus.entries()) j.push_back({{"name", e.name}, {"text", e.text}});
        std::ofstream(out) << j.dump(1) << "\n";
        std::cout << corpus.entries().size() << " statements written to " << out << "\n";
    }
}

TEST(OracleStatementCorpus, PlaceholdersOutsideQuotesBecomeNumbers) {
    EXPECT_EQ(fill_placeholders("ALTER SEQUENCE \"S\".\"<sequence>\" RESTART START WITH <last + 1>"),
              "ALTER SEQUENCE \"S\".\"<sequence>\" RESTART START WITH 0");
    EXPECT_EQ(fill_placeholders("SELECT 1 FROM dual WHERE 1 < 2 AND x = '<y>'"),
              "SELECT 1 FROM dual WHERE 1 < 2 AND x = '<y>'");
}

TEST(OracleStatementCorpus, DetailSplitsAtSlashLinesAndDropsBinds) {
    auto s = detail_statements("-- note\nSELECT 1 FROM dual\n-- :a = 'x'\n/\nBEGIN\n  NULL;\nEND;\n/\n");
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0], "-- note\nSELECT 1 FROM dual");
    EXPECT_EQ(s[1], "BEGIN\n  NULL;\nEND;");
}

}  // namespace
}  // namespace dbclone::oracle::test
