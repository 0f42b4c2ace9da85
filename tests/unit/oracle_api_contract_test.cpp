// The API contract: every Oracle-supplied package subprogram (DBMS_*, APEX_*)
// that any text the engine can send calls, with the parameter names it
// passes by name, must be listed below with the documentation page it was
// checked against. The texts are every PL/SQL template and every statement
// (and PL/SQL job action) of the plans over a matrix of options, so a call
// added anywhere fails this test until it is checked and listed.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "engine/engine.h"
#include "oracle/plsql_compare.h"
#include "oracle/scripted_run.h"

namespace dbclone::oracle::test {
namespace {

struct Api {
    std::set<std::string> named_parameters;  // those dbclone passes as name => value
    std::string documentation;
};

const std::string kArpls = "https://docs.oracle.com/en/database/oracle/oracle-database/19/arpls/";
const std::string kCloud =
    "https://docs.oracle.com/en/cloud/paas/autonomous-database/serverless/adbsb/dbms-cloud-subprograms.html";
const std::string kApex = "https://docs.oracle.com/en/database/oracle/apex/24.1/aeapi/";

const std::map<std::string, Api>& contract() {
    static const std::map<std::string, Api> table = {
        // Data Pump: positional calls (OPEN's 5th argument is `version`).
        {"DBMS_DATAPUMP.OPEN", {{}, kArpls + "DBMS_DATAPUMP.html#GUID-92C2CB46-8BC9-414D-B62E-79CD788C1E62"}},
        {"DBMS_DATAPUMP.ADD_FILE", {{}, kArpls + "DBMS_DATAPUMP.html"}},
        {"DBMS_DATAPUMP.METADATA_FILTER", {{}, kArpls + "DBMS_DATAPUMP.html"}},
        {"DBMS_DATAPUMP.METADATA_REMAP", {{}, kArpls + "DBMS_DATAPUMP.html"}},
        {"DBMS_DATAPUMP.SET_PARAMETER",
         {{}, kArpls + "DBMS_DATAPUMP.html (FLASHBACK_TIME, TABLE_EXISTS_ACTION)"}},
        {"DBMS_DATAPUMP.SET_PARALLEL", {{}, kArpls + "DBMS_DATAPUMP.html"}},
        {"DBMS_DATAPUMP.START_JOB", {{}, kArpls + "DBMS_DATAPUMP.html"}},
        {"DBMS_DATAPUMP.DETACH", {{}, kArpls + "DBMS_DATAPUMP.html"}},
        // LOG_ENTRY(handle, message[, log_file_only]): the export's versions in its own log.
        {"DBMS_DATAPUMP.LOG_ENTRY", {{}, kArpls + "DBMS_DATAPUMP.html (LOG_ENTRY Procedure)"}},
        {"DBMS_DATAPUMP.KU$_FILE_TYPE_URIDUMP_FILE", {{}, kArpls + "DBMS_DATAPUMP.html (ADD_FILE filetype)"}},
        {"DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE", {{}, kArpls + "DBMS_DATAPUMP.html (ADD_FILE filetype)"}},
        // DBMS_CLOUD on Autonomous Database.
        {"DBMS_CLOUD.CREATE_CREDENTIAL", {{"credential_name", "username", "password"}, kCloud}},
        {"DBMS_CLOUD.UPDATE_CREDENTIAL", {{"credential_name", "attribute", "value"}, kCloud}},
        {"DBMS_CLOUD.PUT_OBJECT",
         {{"credential_name", "object_uri", "contents", "directory_name", "file_name"}, kCloud}},
        {"DBMS_CLOUD.GET_OBJECT", {{"credential_name", "object_uri"}, kCloud}},
        {"DBMS_CLOUD.LIST_OBJECTS", {{}, kCloud + " (LIST_OBJECTS Function: credential_name, location_uri)"}},
        {"DBMS_CLOUD.DELETE_OBJECT",
         {{"credential_name", "object_uri"},
          kCloud + " (DELETE_OBJECT Procedure: credential_name, object_uri)"}},
        {"DBMS_CLOUD.LIST_FILES", {{}, kCloud}},
        // Scheduler, statistics, utilities.
        {"DBMS_SCHEDULER.CREATE_JOB",
         {{"job_name", "job_type", "job_action", "job_class", "enabled"}, kArpls + "DBMS_SCHEDULER.html"}},
        {"DBMS_SCHEDULER.DISABLE", {{"name", "force"}, kArpls + "DBMS_SCHEDULER.html"}},
        {"DBMS_STATS.GATHER_SCHEMA_STATS", {{}, kArpls + "DBMS_STATS.html"}},
        {"DBMS_UTILITY.COMPILE_SCHEMA", {{}, kArpls + "DBMS_UTILITY.html"}},
        {"DBMS_UTILITY.DB_VERSION", {{}, kArpls + "DBMS_UTILITY.html"}},
        {"DBMS_XMLGEN.GETXMLTYPE", {{}, kArpls + "DBMS_XMLGEN.html"}},
        {"DBMS_LOB.CREATETEMPORARY", {{}, kArpls + "DBMS_LOB.html"}},
        {"DBMS_LOB.CONVERTTOBLOB", {{}, kArpls + "DBMS_LOB.html"}},
        {"DBMS_LOB.CONVERTTOCLOB", {{}, kArpls + "DBMS_LOB.html"}},
        {"DBMS_LOB.SUBSTR", {{}, kArpls + "DBMS_LOB.html"}},
        {"DBMS_LOB.GETLENGTH", {{}, kArpls + "DBMS_LOB.html"}},
        {"DBMS_LOB.DEFAULT_LANG_CTX", {{}, kArpls + "DBMS_LOB.html (constants)"}},
        {"DBMS_LOB.LOBMAXSIZE", {{}, kArpls + "DBMS_LOB.html (constants)"}},
        // APEX.
        {"APEX_UTIL.SET_WORKSPACE", {{"p_workspace"}, kApex + "APEX_UTIL.SET_WORKSPACE-Procedure.html"}},
        {"APEX_UTIL.CREATE_USER",
         {{"p_user_name", "p_email_address", "p_web_password", "p_developer_privs",
           "p_change_password_on_first_use", "p_default_schema"},
          kApex + "CREATE_USER-Procedure.html"}},
        {"APEX_INSTANCE_ADMIN.ADD_WORKSPACE",
         {{"p_workspace", "p_primary_schema"}, kApex + "ADD_WORKSPACE-Procedure.html"}},
        {"APEX_EXPORT.GET_APPLICATION",
         {{"p_application_id", "p_split"}, kApex + "GET_APPLICATION-Function.html"}},
        {"APEX_APPLICATION_INSTALL.SET_WORKSPACE",
         {{"p_workspace"}, kApex + "APEX_APPLICATION_INSTALL.html"}},
        {"APEX_APPLICATION_INSTALL.SET_SCHEMA", {{"p_schema"}, kApex + "APEX_APPLICATION_INSTALL.html"}},
        {"APEX_APPLICATION_INSTALL.SET_APPLICATION_ID",
         {{"p_application_id"}, kApex + "APEX_APPLICATION_INSTALL.html"}},
        {"APEX_APPLICATION_INSTALL.GENERATE_APPLICATION_ID", {{}, kApex + "APEX_APPLICATION_INSTALL.html"}},
        {"APEX_APPLICATION_INSTALL.GENERATE_OFFSET", {{}, kApex + "APEX_APPLICATION_INSTALL.html"}},
        {"APEX_APPLICATION_INSTALL.INSTALL",
         {{"p_source", "p_overwrite_existing"}, kApex + "INSTALL-Procedure.html"}},
        {"APEX_STRING.SPLIT", {{}, kApex + "SPLIT-Function-Signature-1.html"}},
    };
    return table;
}

struct Call {
    std::string name;  // PACKAGE.SUBPROGRAM, upper case
    std::set<std::string> named_parameters;
};

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Calls of DBMS_* / APEX_* subprograms in a text, with the names passed as
// `name =>` at the call's own parenthesis depth.
std::vector<Call> calls_in(const std::string& text) {
    static const std::regex call(R"(\b((?:DBMS|APEX)_[A-Za-z_]+)\.([A-Za-z0-9_$#]+))", std::regex::icase);
    static const std::regex named(R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=>)");
    std::vector<Call> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it) {
        Call c{upper((*it)[1].str()) + "." + upper((*it)[2].str()), {}};
        std::size_t at = static_cast<std::size_t>(it->position() + it->length());
        while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
        if (at < text.size() && text[at] == '(') {
            int depth = 0;
            std::size_t arg_start = at + 1;
            for (std::size_t i = at; i < text.size(); ++i) {
                char ch = text[i];
                if (ch == '\'') {  // skip a literal
                    for (++i; i < text.size() && text[i] != '\''; ++i) {
                    }
                    continue;
                }
                if (ch == '(') ++depth;
                if (ch == ')' || (ch == ',' && depth == 1)) {
                    if (depth == 1) {
                        std::smatch m;
                        std::string arg = text.substr(arg_start, i - arg_start);
                        if (std::regex_search(arg, m, named)) c.named_parameters.insert(m[1].str());
                        arg_start = i + 1;
                    }
                    if (ch == ')' && --depth == 0) break;
                }
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

// Every text the engine can send: the templates, and the statements and
// PL/SQL binds of the plans over a matrix of options.
std::vector<std::string> sendable_texts() {
    std::vector<std::string> texts;
    for (const auto& f :
         std::filesystem::directory_iterator(std::string(DBCLONE_SOURCE_DIR) + "/src/engine/oracle/plsql")) {
        if (f.path().extension() != ".sql") continue;
        std::ifstream in(f.path());
        std::stringstream s;
        s << in.rdbuf();
        texts.push_back(s.str());
    }
    using Options = std::map<std::string, std::string>;
    const std::vector<std::pair<Command, Options>> matrix = {
        {Command::clone, {}},
        {Command::clone, {{"app", "100"}}},
        {Command::clone,
         {{"app", "100"}, {"app-id", "auto"}, {"split", "true"}, {"copy-apex-users", "true"}}},
        {Command::clone, {{"app", "100"}, {"app-id", "250"}, {"download", "/tmp/x"}, {"keep-jobs", "true"}}},
        {Command::refresh, {}},
        {Command::export_, {{"app", "100"}}},
        {Command::verify, {{"app", "100"}}},
        {Command::doctor, {{"app", "100"}}},
        {Command::import, {}},
        {Command::import, {{"table-exists-action", "truncate"}}},
        {Command::import, {{"app", "100"}, {"workspace", "UR_QA"}, {"app-id", "auto"}}},
        {Command::dumps, {}},
        {Command::dumps, {{"prune", "true"}, {"older-than", "7d"}, {"yes", "true"}}},
    };
    for (const auto& [command, options] : matrix) {
        Request r;
        r.command = command;
        r.source = "https://ur-prod.adb.example.invalid/ords/admin";
        r.target = "https://ur-preprod.adb.example.invalid/ords/admin";
        r.source_schema = "WKSP_PROD";
        r.target_schema = "WKSP_URPREPROD";
        r.engine_options = options;
        command_line_fields(r);
        r.engine_options["bucket-uri"] = "https://objectstorage.example.invalid/n/ns/b/b/o/";
        if (r.engine_options.erase("table-exists-action")) r.table_exists = TableExistsAction::truncate;
        RunResult result;
        Plan plan = make_engine("oracle")->plan(r, result);
        for (const auto& step : plan.steps())
            for (const auto& st : parse_detail(step.detail)) {
                texts.push_back(st.text);
                for (const auto& [name, value] : st.binds) texts.push_back(value);
            }
    }
    return texts;
}

TEST(OracleApiContract, EveryCalledSubprogramAndParameterIsDocumented) {
    std::set<std::string> seen;
    for (const auto& text : sendable_texts())
        for (const auto& c : calls_in(text)) {
            seen.insert(c.name);
            auto it = contract().find(c.name);
            if (it == contract().end()) {
                ADD_FAILURE() << c.name << " is called but not in the contract table; check its signature in "
                              << "Oracle's documentation and add it with the page";
                continue;
            }
            for (const auto& p : c.named_parameters)
                EXPECT_TRUE(it->second.named_parameters.count(p))
                    << c.name << " is called with parameter '" << p << "', which the table does not list";
        }
    // The table lists nothing that is no longer called, and names a page for each.
    for (const auto& [name, api] : contract()) {
        EXPECT_TRUE(seen.count(name)) << name << " is in the table but never called";
        EXPECT_EQ(api.documentation.rfind("https://docs.oracle.com/", 0), 0u) << name;
    }
}

TEST(OracleApiContract, ExtractorSeesCallsAndNamedParameters) {
    auto calls = calls_in("BEGIN dbms_foo.Bar(a => 1, f(x => 2), 'c => d', b=>3); APEX_X.Y; END;");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].name, "DBMS_FOO.BAR");
    EXPECT_EQ(calls[0].named_parameters, (std::set<std::string>{"a", "b"}));
    EXPECT_EQ(calls[1].name, "APEX_X.Y");
}

}  // namespace
}  // namespace dbclone::oracle::test
