#include "engine/oracle/oracle_statements.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/embedded_sql.h"
#include "core/error.h"
#include "engine/oracle/oracle_names.h"

namespace dbclone::oracle {

namespace {

std::string fill(std::string text, const std::string& key, const std::string& value) {
    const std::string tag = "{{" + key + "}}";
    for (auto pos = text.find(tag); pos != std::string::npos; pos = text.find(tag, pos + value.size()))
        text.replace(pos, tag.size(), value);
    return text;
}

std::string trim_trailing(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    return s;
}

}  // namespace

std::string plsql(const std::string& file) {
    return trim_trailing(std::string(embedded_sql("engine/oracle/plsql/" + file)));
}

Statement query(const std::string& file, std::vector<Bind> binds) {
    return {plsql(file), std::move(binds)};
}
Bind in(std::string name, std::string value) {
    return {std::move(name), std::move(value)};
}
Bind in_number(std::string name, long value) {
    return {std::move(name), value, "NUMBER"};
}
Bind out(std::string name) {
    Bind b{std::move(name), nullptr};
    b.out = true;
    return b;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string schema_prefix(const OracleOptions& o, const std::string& timestamp) {
    return o.retention + "/" + o.source_adb + "/schema/" + lower(o.source_schema) + "/" + timestamp + "/";
}

std::string apex_prefix(const OracleOptions& o, const std::string& timestamp) {
    return o.retention + "/" + o.source_adb + "/apex/" + std::to_string(o.app.value_or(0)) + "/" + timestamp +
           "/";
}

std::string prefix_timestamp(const std::string& prefix) {
    std::string p = prefix;
    if (!p.empty() && p.back() == '/') p.pop_back();
    auto slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

Statement create_credential(const OracleOptions& o, const std::string& username, const std::string& token) {
    Bind password = in("password", token);
    password.secret = true;
    return {plsql("create_credential.sql"),
            {in("credential_name", o.credential), in("username", username), password, out("existed"),
             out("enabled")}};
}

Statement db_version() {
    return {plsql("db_version.sql"),
            {out("version"), out("compatible"), out("apex_version"), out("cpu_count"),
             out("max_datapump_parallel"), out("parameter_error")}};
}

std::string export_job_name(const OracleOptions& o, const std::string& timestamp) {
    return "SCH_" + o.source_schema + "_" + timestamp;
}

std::string export_log_name(const OracleOptions& o, const std::string& timestamp) {
    return "export_" + o.source_adb + "_" + lower(o.source_schema) + "_" + timestamp + ".log";
}

namespace {

// PARALLEL as a NUMBER bind; in a plan (no value yet) the bind shows what
// decides it.
Bind parallel_bind(const OracleOptions& o, std::optional<int> parallel, const char* database) {
    if (parallel) return in_number("parallel", *parallel);
    if (o.parallel > 0) return in_number("parallel", o.parallel);
    return {"parallel",
            std::string("<CPU_COUNT of the ") + database + ", at most MAX_DATAPUMP_PARALLEL_PER_JOB" +
                (o.max_parallel > 0 ? " and --max-parallel " + std::to_string(o.max_parallel) : "") + ">",
            "NUMBER"};
}

}  // namespace

Statement export_schema(const OracleOptions& o, const std::string& timestamp, const std::string& job_name,
                        const std::string& version, std::optional<int> parallel,
                        const std::string& version_note) {
    // The runbook keeps the ADB and schema lower case in the prefix and
    // upper-cases the schema for the filter; so does the template.
    return {
        plsql("export_schema.sql"),
        {in("retention", o.retention), in("adb", o.source_adb), in("schema", lower(o.source_schema)),
         in("timestamp", timestamp), in("bucket_uri", o.bucket_uri), in("job_name", job_name),
         in("version", version), in("credential_name", o.credential), parallel_bind(o, parallel, "source"),
         in("version_note", version_note), out("prefix"), out("log_file"), out("flashback_time")}};
}

Statement job_lookup(const std::string& job_name, const std::string& log_file) {
    return query("job_lookup.sql", {in("job_name", job_name), in("log_file", log_file)});
}

Statement ship_log(const OracleOptions& o, const std::string& log_uri, const std::string& log_file) {
    return {plsql("ship_log.sql"),
            {in("credential_name", o.credential), in("log_uri", log_uri), in("log_file", log_file)}};
}

Statement read_log(const std::string& log_file) {
    return query("read_log.sql", {in("log_file", log_file)});
}

std::string import_job_name(bool refresh, const std::string& timestamp) {
    return (refresh ? "SCH_REFRESH_" : "SCH_IMP_") + timestamp;
}

std::string import_log_name(const std::string& job_name) {
    return lower(job_name) + ".log";
}

Statement import_schema(const OracleOptions& o, const std::string& prefix, bool refresh,
                        const std::string& job_name, std::optional<int> parallel) {
    return {plsql(refresh ? "refresh_import.sql" : "import_schema.sql"),
            {in("job_name", job_name), in("dump_uri", o.bucket_uri + prefix + "dump_%U.dmp"),
             in("credential_name", o.credential), in("log_file", import_log_name(job_name)),
             in("source_schema", o.source_schema), in("target_schema", o.target_schema),
             parallel_bind(o, parallel, "target")}};
}

Statement create_user(const OracleOptions& o, const std::string& password) {
    std::string text = fill(plsql("create_user.sql"), "SCHEMA", quote_ident(o.target_schema));
    return {fill(text, "PASSWORD", password), {}};
}

Statement grant_user(const OracleOptions& o) {
    return {fill(plsql("grant_user.sql"), "SCHEMA", quote_ident(o.target_schema)), {}};
}

Statement add_workspace(const OracleOptions& o) {
    return {plsql("add_workspace.sql"), {in("workspace", o.workspace), in("schema", o.target_schema)}};
}

Statement create_apex_user(const std::string& workspace, const ApexUser& user,
                           const std::set<std::string>& supported) {
    auto has = [&](const std::string& p) { return supported.empty() || supported.count(p) > 0; };
    struct Arg {
        std::string name;
        std::string bind;
        std::string value;
        bool secret = false;
    };
    std::vector<Arg> args = {
        {"p_user_name", "user_name", user.name},
        {"p_email_address", "email", user.email},
        {"p_web_password", "web_password", user.password, true},
        {"p_developer_privs", "developer_privs", user.developer_privs},
        {"p_change_password_on_first_use", "change_password", user.change_password_on_first_use},
        {"p_default_schema", "default_schema", user.default_schema}};
    Statement s;
    s.binds.push_back(in("workspace", workspace));
    std::vector<std::string> lines;
    for (const auto& a : args) {
        std::string upper = a.name;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        bool required = a.name == "p_user_name" || a.name == "p_web_password";
        if (!required && (a.value.empty() || !has(upper))) continue;
        lines.push_back(fmt::format("    {:<30} => :{}", a.name, a.bind));
        Bind b = in(a.bind, a.value);
        b.secret = a.secret;
        s.binds.push_back(b);
    }
    std::string call;
    for (std::size_t i = 0; i < lines.size(); ++i) call += lines[i] + (i + 1 < lines.size() ? ",\n" : "");
    s.text = "BEGIN\n  APEX_UTIL.SET_WORKSPACE(p_workspace => :workspace);\n\n  APEX_UTIL.CREATE_USER(\n" +
             call + ");\n\n  COMMIT;\nEND;";
    return s;
}

Statement scheduler_job(const std::string& job_name, const std::string& action) {
    return {plsql("scheduler_job.sql"), {in("job_name", job_name), in("job_action", action)}};
}

std::string compile_action(const std::string& schema) {
    return "BEGIN DBMS_UTILITY.COMPILE_SCHEMA(" + sql_literal(schema) + ", FALSE); END;";
}

std::string stats_action(const std::string& schema) {
    return "BEGIN DBMS_STATS.GATHER_SCHEMA_STATS(" + sql_literal(schema) + "); END;";
}

Statement apex_export(const OracleOptions& o, const std::string& apex_uri) {
    return {
        plsql("apex_export.sql"),
        {in_number("app_id", o.app.value_or(0)), in("split", o.split_apex ? "Y" : "N"),
         in("credential_name", o.credential), in("apex_uri", apex_uri), out("workspace"), out("file_names")}};
}

Statement apex_import(const OracleOptions& o, const std::string& apex_uri, const std::string& file_names,
                      long source_app) {
    std::string text = plsql("apex_import.sql");
    Statement s;
    s.binds = {in("workspace", o.workspace), in("schema", o.target_schema),
               in("credential_name", o.credential), in("apex_uri", apex_uri), in("file_names", file_names)};
    if (o.app_id_mode == AppIdMode::auto_assign) {
        text = fill(text, "APP_ID_CALL", "APEX_APPLICATION_INSTALL.GENERATE_APPLICATION_ID;");
    } else {
        text = fill(text, "APP_ID_CALL",
                    "APEX_APPLICATION_INSTALL.SET_APPLICATION_ID(p_application_id => :app_id);");
        s.binds.push_back(in_number("app_id", o.app_id_mode == AppIdMode::reuse ? source_app : o.app_id));
    }
    s.text = text;
    return s;
}

std::string inline_binds(const Statement& statement) {
    std::map<std::string, std::string> literal;
    for (const auto& b : statement.binds) {
        if (b.out) throw Error(ErrorKind::internal, "a Scheduler job's action cannot return :" + b.name);
        if (b.secret)  // a job's action is stored in the dictionary
            throw Error(ErrorKind::internal,
                        "a secret (:" + b.name + ") cannot go into a Scheduler job's action");
        literal[lower(b.name)] =
            b.value.is_string() ? sql_literal(b.value.get<std::string>()) : b.value.dump();
    }
    const std::string& t = statement.text;
    std::string out;
    for (std::size_t i = 0; i < t.size();) {
        char c = t[i];
        if (c == '\'' || c == '"') {  // a literal or quoted name, copied as it is
            std::size_t end = t.find(c, i + 1);
            end = end == std::string::npos ? t.size() : end + 1;
            out += t.substr(i, end - i);
            i = end;
        } else if (c == '-' && i + 1 < t.size() && t[i + 1] == '-') {  // a comment to the line's end
            std::size_t end = t.find('\n', i);
            end = end == std::string::npos ? t.size() : end;
            out += t.substr(i, end - i);
            i = end;
        } else if (c == ':' && i + 1 < t.size() &&
                   (std::isalpha(static_cast<unsigned char>(t[i + 1])) != 0)) {
            std::size_t end = i + 1;
            while (end < t.size() && (std::isalnum(static_cast<unsigned char>(t[end])) != 0 || t[end] == '_'))
                ++end;
            std::string name = lower(t.substr(i + 1, end - i - 1));
            auto it = literal.find(name);
            if (it == literal.end())
                throw Error(ErrorKind::internal, "no value for :" + name + " to inline into a job action");
            out += it->second;
            i = end;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

Statement disable_job(const std::string& qualified_job) {
    return {plsql("disable_job.sql"), {in("job_name", qualified_job)}};
}

Statement identity_resync(const std::string& owner, const std::string& table, const std::string& column,
                          const std::string& generation_type, bool on_null) {
    // Oracle: ALTER TABLE ... MODIFY (col GENERATED ... AS IDENTITY (START WITH
    // LIMIT VALUE)) moves the identity's sequence past the column's maximum.
    std::string kind = generation_type == "ALWAYS" ? "ALWAYS" : on_null ? "BY DEFAULT ON NULL" : "BY DEFAULT";
    return {"ALTER TABLE " + quote_qualified(owner, table) + " MODIFY (" + quote_ident(column) +
                " GENERATED " + kind + " AS IDENTITY (START WITH LIMIT VALUE))",
            {}};
}

Statement sequence_restart(const std::string& owner, const std::string& sequence, const std::string& value) {
    if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
        throw Error(ErrorKind::internal, "sequence value '" + value + "' is not a whole number");
    return {"ALTER SEQUENCE " + quote_qualified(owner, sequence) + " RESTART START WITH " + value, {}};
}

std::string render(const std::vector<Statement>& statements, const std::string& note) {
    std::string out;
    if (!note.empty()) out += "-- " + note + "\n";
    for (const auto& s : statements) {
        out += s.text + "\n" + describe_binds(s.binds) + "/\n";
    }
    return out;
}

}  // namespace dbclone::oracle
