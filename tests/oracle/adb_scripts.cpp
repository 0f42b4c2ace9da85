#include "oracle/adb_scripts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <regex>

namespace dbclone::oracle::test {

ScopedEnv::~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
        if (it->second)
            setenv(it->first.c_str(), it->second->c_str(), 1);
        else
            unsetenv(it->first.c_str());
    }
}

void ScopedEnv::set(const std::string& name, const std::string& value) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    setenv(name.c_str(), value.c_str(), 1);
}

void set_test_secrets(ScopedEnv& env) {
    env.set("DBCLONE_ORACLE_SOURCE_PASSWORD", "Source-Admin-Pw1");
    env.set("DBCLONE_ORACLE_TARGET_PASSWORD", "Target-Admin-Pw2");
    env.set("DBCLONE_OCI_USER", "oci.user@example.com");
    env.set("DBCLONE_OCI_AUTH_TOKEN", "oci-token-abcdef");
    env.set("DBCLONE_APEX_ADMIN_PASSWORD", "Apex-Admin-Pw3");
    env.set("DBCLONE_ORACLE_SCHEMA_PASSWORD", "Schema-Pw-4xyz");
}

Reply row_count_reply(const Received& r, const std::string& differ) {
    int offset = r.body.value("offset", 0), limit = r.body.value("limit", 10000);
    std::vector<nlohmann::json> rows;
    for (int i = offset; i < std::min(kTables, offset + limit); ++i) {
        std::string name = fmt::format("T{:04d}", i);
        rows.push_back({{"table_name", name}, {"row_count", i * 10 + (name == differ ? 1 : 0)}});
    }
    return query_reply(r.statement(), rows, offset + limit < kTables, offset, limit);
}

std::string dump_prefix(const OrdsTestServer& source) {
    auto exp = source.requests_with("DBMS_DATAPUMP.OPEN('EXPORT'");
    if (exp.empty()) return {};
    return std::string(kPrefixBase) + exp.front().bind("timestamp") + "/";
}

Reply log_reply(const Received& r, const std::string& text) {
    int offset = r.body.value("offset", 0), limit = r.body.value("limit", 10000);
    int pieces = static_cast<int>((text.size() + 999) / 1000);
    std::vector<nlohmann::json> rows;
    for (int i = offset; i < std::min(pieces, offset + limit); ++i)
        rows.push_back(
            {{"piece_no", i + 1}, {"piece", text.substr(static_cast<std::size_t>(i) * 1000, 1000)}});
    return query_reply(r.statement(), rows, offset + limit < pieces, offset, limit);
}

std::string export_log_text(bool fails, const std::string& versions) {
    std::string log = "Starting \"ADMIN\".\"SCH_WKSP_PROD\":\n";
    if (!versions.empty()) log += versions + "\n";
    for (int i = 0; i < kTables; ++i)
        log += fmt::format(". . exported \"WKSP_PROD\".\"T{:04d}\"{}    5.093 KB    {} rows\n", i,
                           i == 3 ? ":\"P1\"" : "", i == 3 ? i * 10 - 5 : i * 10);
    log += ". . exported \"WKSP_PROD\".\"T0003\":\"P2\"    5.093 KB    5 rows\n";
    if (fails)
        return log +
               "ORA-39126: Worker unexpected fatal error in KUPW$WORKER.MAIN\n"
               "ORA-01555: snapshot too old\n"
               "Job \"ADMIN\".\"SCH_WKSP_PROD\" stopped due to fatal error at "
               "Tue May 19 21:40:02 2026 elapsed 0 00:06:21\n";
    return log +
           "Dump file set for ADMIN.SCH_WKSP_PROD is:\n  https://.../dump_01.dmp\n"
           "Job \"ADMIN\".\"SCH_WKSP_PROD\" successfully completed at "
           "Tue May 19 21:40:02 2026 elapsed 0 00:06:21\n";
}

std::string import_log_text(const ScriptOptions& options) {
    std::string log = "Starting \"ADMIN\".\"SCH_IMP\":\n" + options.import_errors;
    for (int i = 0; i < kTables; ++i)
        log += fmt::format(". . imported \"WKSP_URPREPROD\".\"T{:04d}\"    5.093 KB    {} rows\n", i,
                           i * 10 + (i == 7 ? 1 : 0));
    if (options.import_error_count == 0)
        return log + "Job \"ADMIN\".\"SCH_IMP\" successfully completed at Tue May 19 21:55:10 2026\n";
    return log + fmt::format(
                     "Job \"ADMIN\".\"SCH_IMP\" completed with {} error(s) at "
                     "Tue May 19 21:55:10 2026 elapsed 0 00:04:02\n",
                     options.import_error_count);
}

namespace {

void script_versions(OrdsTestServer& s, const std::string& compatible, const std::string& apex) {
    s.on("DBMS_UTILITY.DB_VERSION", [compatible, apex](const Received& r, int) {
        return plsql_reply(
            r.statement(),
            {{"version", compatible + ".1.0"}, {"compatible", compatible}, {"apex_version", apex}});
    });
}

void script_credential(OrdsTestServer& s, int existed, const std::string& enabled) {
    s.on("DBMS_CLOUD.CREATE_CREDENTIAL", [existed, enabled](const Received& r, int) {
        return plsql_reply(r.statement(), {{"existed", existed}, {"enabled", enabled}});
    });
}

}  // namespace

void script_source(OrdsTestServer& s, const ScriptOptions& options) {
    script_versions(s, options.source_compatible, options.source_apex);
    script_credential(s, 0, options.credential_enabled);
    s.on("DBMS_DATAPUMP.OPEN('EXPORT'", [](const Received& r, int) {
        std::string ts = r.bind("timestamp");
        return plsql_reply(
            r.statement(),
            {{"prefix", std::string(kPrefixBase) + ts + "/"},
             {"log_file", "export_ur-prod_wksp_prod_" + ts + ".log"},
             {"flashback_time", "TO_TIMESTAMP('2026-05-19 21:33:14.000000','YYYY-MM-DD HH24:MI:SS.FF6')"}});
    });
    s.on("log_files", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"state", nullptr}, {"log_files", 0}}});
    });
    s.on("attached_sessions", [options](const Received& r, int call) {
        std::string st = call < 3                                                   ? "EXECUTING"
                         : options.export_fails || options.export_job_stays_stopped ? "NOT RUNNING"
                                                                                    : "COMPLETED";
        return query_reply(
            r.statement(),
            {{{"job_name", r.bind("job_name")}, {"state", st}, {"degree", 4}, {"attached_sessions", 0}}});
    });
    s.on("v$session_longops", [](const Received& r, int call) {
        return query_reply(r.statement(), {{{"sofar", 50 * call}, {"totalwork", 100}, {"units", "MB"}}});
    });
    s.on(":log_uri", [](const Received& r, int) { return plsql_reply(r.statement()); });
    s.on("BFILENAME('DATA_PUMP_DIR'",
         [options](const Received& r, int) { return log_reply(r, export_log_text(options.export_fails)); });
    s.on("APEX_EXPORT.GET_APPLICATION", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"workspace", "PROD"}, {"file_names", "f100.sql"}});
    });
    s.on("DBMS_XMLGEN.GETXMLTYPE", [](const Received& r, int) { return row_count_reply(r); });
    s.on("dba_db_links", [](const Received& r, int) {
        return query_reply(r.statement(),
                           {{{"db_link", "ERP.EXAMPLE.COM"}, {"username", "ERP_RO"}, {"host", "erp"}}});
    });
    s.on("dba_host_aces", [](const Received& r, int) {
        return error_reply(r.statement(), 942, "ORA-00942: table or view does not exist");
    });
    s.on("dba_credentials", [](const Received& r, int) {
        return query_reply(r.statement(),
                           {{{"credential_name", "ERP_CRED"}, {"username", "erp"}, {"enabled", "TRUE"}}});
    });
    s.on("apex_workspace_apex_users", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"user_name", "ALICE"},
                                            {"email", "alice@example.com"},
                                            {"is_admin", "Yes"},
                                            {"is_application_developer", "Yes"},
                                            {"account_locked", "No"}},
                                           {{"user_name", "BOB"},
                                            {"email", "bob@example.com"},
                                            {"is_admin", "No"},
                                            {"is_application_developer", "No"},
                                            {"account_locked", "No"}}});
    });
    // Beyond a double's exact range (2^53): must be kept exact.
    s.on("dba_sequences", [](const Received& r, int) {
        return query_reply(
            r.statement(),
            {{{"sequence_name", "ORDERS_SEQ"}, {"last_number", "5000"}, {"increment_by", 1}},
             {{"sequence_name", "BIG_SEQ"}, {"last_number", "9007199254740993000"}, {"increment_by", 1}},
             {{"sequence_name", "OLD_SEQ"}, {"last_number", "10"}, {"increment_by", 1}}});
    });
}

void script_target(OrdsTestServer& s, const ScriptOptions& options) {
    script_versions(s, options.target_compatible, options.target_apex);
    script_credential(s, 1, options.credential_enabled);
    s.on("FROM dba_users", [](const Received& r, int) { return query_reply(r.statement(), {}); });
    // A clone creates the schema; the APEX application comes with its install
    // job then. A database no clone ran on (verify, refresh) has it already.
    auto cloning = std::make_shared<bool>(false);
    s.on("CREATE USER", [cloning](const Received& r, int) {
        *cloning = true;
        return ddl_reply(r.statement(), "User \"WKSP_URPREPROD\" created.");
    });
    s.on("GRANT CONNECT",
         [](const Received& r, int) { return ddl_reply(r.statement(), "Grant succeeded."); });
    s.on("apex_workspace_schemas", [](const Received& r, int call) {
        if (call == 1) return query_reply(r.statement(), {});
        return query_reply(r.statement(),
                           {{{"workspace_id", 1234}, {"workspace", "UR_PREPROD"}, {"schema_mapped", 1}}});
    });
    s.on("APEX_INSTANCE_ADMIN.ADD_WORKSPACE",
         [](const Received& r, int) { return plsql_reply(r.statement()); });
    s.on("apex_workspace_apex_users", [](const Received& r, int call) {
        if (call == 1) return query_reply(r.statement(), {});
        return query_reply(r.statement(), {{{"user_name", "ADMIN"},
                                            {"email", "you@example.com"},
                                            {"is_admin", "Yes"},
                                            {"is_application_developer", "Yes"},
                                            {"account_locked", "No"}}});
    });
    s.on("dba_arguments", [](const Received& r, int) {
        std::vector<nlohmann::json> rows;
        for (const char* a : {"P_USER_ID", "P_USER_NAME", "P_FIRST_NAME", "P_EMAIL_ADDRESS", "P_WEB_PASSWORD",
                              "P_DEVELOPER_PRIVS", "P_DEFAULT_SCHEMA", "P_CHANGE_PASSWORD_ON_FIRST_USE"})
            rows.push_back({{"argument_name", a}, {"data_type", "VARCHAR2"}, {"overload", "0"}});
        return query_reply(r.statement(), rows);
    });
    s.on("APEX_UTIL.CREATE_USER", [options](const Received& r, int call) {
        if (call == 1 && options.create_user_pls00306)
            return error_reply(
                r.statement(), 6550,
                "ORA-06550: line 4, column 3:\nPLS-00306: wrong number or types of arguments in call "
                "to 'CREATE_USER'\nORA-06550: line 4, column 3:\nPL/SQL: Statement ignored",
                4);
        return plsql_reply(r.statement());
    });
    s.on("log_files", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"state", nullptr}, {"log_files", 0}}});
    });
    auto import_503 = std::make_shared<int>(options.import_503_times);
    s.on("DBMS_DATAPUMP.OPEN('IMPORT'", [import_503](const Received& r, int) {
        if (*import_503 > 0) {
            --*import_503;
            return Reply{503, "Service Unavailable", "text/plain"};
        }
        return plsql_reply(r.statement());
    });
    s.on("attached_sessions", [](const Received& r, int call) {
        if (call == 1)
            return query_reply(r.statement(), {{{"job_name", r.bind("job_name")},
                                                {"state", "EXECUTING"},
                                                {"degree", 4},
                                                {"attached_sessions", 0}}});
        return query_reply(r.statement(), {});
    });
    s.on("v$session_longops", [](const Received& r, int) {
        return error_reply(r.statement(), 942, "ORA-00942: table or view does not exist");
    });
    s.on(":log_uri", [](const Received& r, int) { return plsql_reply(r.statement()); });
    s.on("BFILENAME('DATA_PUMP_DIR'",
         [options](const Received& r, int) { return log_reply(r, import_log_text(options)); });
    // Scheduler jobs: each created job is EXECUTING at its first poll (no
    // run-details row yet) and then ends as options.job_outcome says.
    struct Job {
        std::string action;
        int polls = 0;
    };
    auto jobs = std::make_shared<std::map<std::string, Job>>();
    auto jobs_mutex = std::make_shared<std::mutex>();
    s.on("DBMS_SCHEDULER.CREATE_JOB", [jobs, jobs_mutex](const Received& r, int) {
        std::lock_guard<std::mutex> lock(*jobs_mutex);
        (*jobs)[r.bind("job_name")] = Job{r.bind("job_action")};
        return plsql_reply(r.statement());
    });
    s.on("dba_scheduler_jobs WHERE owner = USER", [jobs, jobs_mutex](const Received& r, int) {
        std::lock_guard<std::mutex> lock(*jobs_mutex);
        return query_reply(r.statement(), {{{"n", jobs->count(r.bind("job_name"))}}});
    });
    s.on("dba_scheduler_job_run_details", [jobs, jobs_mutex, options](const Received& r, int) {
        std::lock_guard<std::mutex> lock(*jobs_mutex);
        auto it = jobs->find(r.bind("job_name"));
        if (it == jobs->end() || it->second.polls++ < options.executing_polls)
            return query_reply(r.statement(), {});
        JobOutcome end = options.job_outcome ? options.job_outcome(it->second.action) : JobOutcome{};
        nlohmann::json info = end.info.empty() ? nlohmann::json(nullptr) : nlohmann::json(end.info);
        return query_reply(
            r.statement(),
            {{{"status", end.status}, {"error_code", end.error_code}, {"additional_info", info}}});
    });
    // The workspace lists the application once an install job has run
    // (or from the start where no clone created the schema).
    s.on("FROM apex_applications", [jobs, jobs_mutex, cloning, options](const Received& r, int) {
        std::lock_guard<std::mutex> lock(*jobs_mutex);
        bool installed = !*cloning || std::any_of(jobs->begin(), jobs->end(), [&](const auto& j) {
            return j.second.polls > options.executing_polls &&
                   j.second.action.find("APEX_APPLICATION_INSTALL.INSTALL") != std::string::npos;
        });
        if (!installed) return query_reply(r.statement(), {});
        // The id the install job set (SET_APPLICATION_ID), else 100.
        long id = 100;
        static const std::regex set_id(R"(SET_APPLICATION_ID\(p_application_id => (\d+)\))");
        for (const auto& [name, job] : *jobs) {
            std::smatch m;
            if (std::regex_search(job.action, m, set_id)) id = std::stol(m[1].str());
        }
        return query_reply(r.statement(), {{{"application_id", id},
                                            {"application_name", "UR App"},
                                            {"owner", "WKSP_URPREPROD"},
                                            {"pages", 12}}});
    });
    s.on("status = 'INVALID'", [](const Received& r, int) { return query_reply(r.statement(), {}); });
    s.on("DBMS_XMLGEN.GETXMLTYPE", [](const Received& r, int) { return row_count_reply(r, "T0007"); });
    // The import created two enabled jobs; after disable-jobs they stand disabled.
    s.on("SELECT owner, job_name, enabled, state", [](const Received& r, int call) {
        std::string enabled = call == 1 ? "TRUE" : "FALSE";
        return query_reply(r.statement(), {{{"owner", "WKSP_URPREPROD"},
                                            {"job_name", "NIGHTLY_FEED"},
                                            {"enabled", enabled},
                                            {"state", call == 1 ? "RUNNING" : "DISABLED"}},
                                           {{"owner", "WKSP_URPREPROD"},
                                            {"job_name", "HOURLY_PUSH"},
                                            {"enabled", enabled},
                                            {"state", call == 1 ? "SCHEDULED" : "DISABLED"}}});
    });
    s.on("DBMS_SCHEDULER.DISABLE", [](const Received& r, int) { return plsql_reply(r.statement()); });
    s.on("FROM dba_datapump_jobs WHERE owner_name = USER ORDER BY",
         [](const Received& r, int) { return query_reply(r.statement(), {}); });
    s.on("tables_analyzed", [](const Received& r, int) {
        return query_reply(
            r.statement(),
            {{{"tables_total", kTables}, {"tables_analyzed", kTables}, {"oldest", "2026-05-19T21:58:00"}}});
    });
    s.on("dba_sequences", [](const Received& r, int) {
        return query_reply(
            r.statement(),
            {{{"sequence_name", "ORDERS_SEQ"}, {"last_number", "4000"}, {"increment_by", 1}},
             {{"sequence_name", "BIG_SEQ"}, {"last_number", "9007199254740993500"}, {"increment_by", 1}},
             {{"sequence_name", "OLD_SEQ"}, {"last_number", "99999"}, {"increment_by", 1}}});
    });
    s.on("ALTER SEQUENCE",
         [](const Received& r, int) { return ddl_reply(r.statement(), "Sequence altered."); });
}

std::vector<std::string> dump_set_objects(const std::string& prefix, bool finished) {
    std::vector<std::string> out = {prefix + "dump_01.dmp", prefix + "dump_02.dmp"};
    if (finished) out.push_back(prefix + "export.log");
    return out;
}

void script_bucket(OrdsTestServer& s, const std::vector<std::string>& objects,
                   const std::vector<std::string>& failed_exports, const std::string& versions) {
    // Names relative to the bucket, as the listing of the whole bucket has them.
    s.on("the files of one APEX export", [objects](const Received& r, int) {
        const std::string location = r.bind("location_uri");
        std::vector<std::string> sorted = objects;
        std::sort(sorted.begin(), sorted.end());
        std::vector<nlohmann::json> rows;
        for (const auto& o : sorted)
            if ((std::string(kBucket) + o).rfind(location, 0) == 0)
                rows.push_back({{"object_name", o}, {"bytes", 4096}});
        return query_reply(r.statement(), rows);
    });
    s.on("object_name LIKE '%/schema/%'", [objects](const Received& r, int) {
        std::vector<std::string> sorted = objects;
        std::sort(sorted.begin(), sorted.end());
        std::vector<nlohmann::json> rows;
        for (const auto& o : sorted) rows.push_back({{"object_name", o}, {"bytes", 1048576}});
        return query_reply(r.statement(), rows);
    });
    s.on("TO_CLOB(DBMS_CLOUD.GET_OBJECT", [failed_exports, versions](const Received& r, int) {
        const std::string uri = r.bind("object_uri");
        bool failed = std::any_of(failed_exports.begin(), failed_exports.end(), [&](const std::string& p) {
            return uri == std::string(kBucket) + p + "export.log";
        });
        return log_reply(r, export_log_text(failed, versions));
    });
    s.on("DBMS_CLOUD.DELETE_OBJECT", [](const Received& r, int) { return plsql_reply(r.statement()); });
}

void script_preflight(OrdsTestServer& s, bool target) {
    s.on("FROM session_roles", [target](const Received& r, int) {
        std::vector<nlohmann::json> rows;
        for (const char* role : {"APEX_ADMINISTRATOR_ROLE", "DATAPUMP_CLOUD_EXP", "DATAPUMP_CLOUD_IMP"})
            rows.push_back({{"role", role}});
        (void)target;
        return query_reply(r.statement(), rows);
    });
    s.on("DBMS_CLOUD.LIST_OBJECTS", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"objects", 1}}});
    });
    // 1 TiB the data files may grow to, 10 GiB used, 70 MiB of it the schema.
    s.on("FROM dba_data_files", [](const Received& r, int) {
        return query_reply(
            r.statement(),
            {{{"max_bytes", "1099511627776"}, {"used_bytes", "10737418240"}, {"schema_bytes", "73400320"}}});
    });
    s.on("FROM dba_segments", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"bytes", "73400320"}}});
    });
    s.on("application_id = :app_id", [](const Received& r, int) { return query_reply(r.statement(), {}); });
}

void script_refresh_target(OrdsTestServer& s, const ScriptOptions& options) {
    // A refresh target's schema user exists.
    s.on("FROM dba_users", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"username", "WKSP_URPREPROD"}}});
    });
    s.on("r_table_name", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"owner", "WKSP_URPREPROD"},
                                            {"table_name", "ORDER_LINES"},
                                            {"constraint_name", "OL_ORDER_FK"},
                                            {"validated", "VALIDATED"},
                                            {"r_owner", "WKSP_URPREPROD"},
                                            {"r_table_name", "ORDERS"}},
                                           {{"owner", "REPORTING"},
                                            {"table_name", "R1"},
                                            {"constraint_name", "R1_CUST_FK"},
                                            {"validated", "VALIDATED"},
                                            {"r_owner", "WKSP_URPREPROD"},
                                            {"r_table_name", "CUSTOMERS"}},
                                           {{"owner", "REPORTING"},
                                            {"table_name", "R2"},
                                            {"constraint_name", "R2_ORDER_FK"},
                                            {"validated", "NOT VALIDATED"},
                                            {"r_owner", "WKSP_URPREPROD"},
                                            {"r_table_name", "ORDERS"}}});
    });
    s.on("dba_tab_identity_cols", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"table_name", "EVENTS"},
                                            {"column_name", "EVENT_ID"},
                                            {"generation_type", "BY DEFAULT"},
                                            {"default_on_null", "YES"}},
                                           {{"table_name", "ORDERS"},
                                            {"column_name", "ID"},
                                            {"generation_type", "ALWAYS"},
                                            {"default_on_null", "NO"}}});
    });
    s.on("FROM dba_triggers", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"owner", "WKSP_URPREPROD"}, {"trigger_name", "ORDERS_BIU"}}});
    });
    s.on("ALTER TABLE", [](const Received& r, int) { return ddl_reply(r.statement(), "Table altered."); });
    s.on("ALTER TRIGGER",
         [](const Received& r, int) { return ddl_reply(r.statement(), "Trigger altered."); });
    s.on("dba_cons_columns", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"child_column", "CUSTOMER_ID"}, {"parent_column", "ID"}}});
    });
    s.on("SELECT COUNT(*) AS n FROM", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"n", 3}}});
    });
    ScriptOptions o = options;
    if (!o.job_outcome)
        o.job_outcome = [](const std::string& action) {
            if (action.find("ENABLE VALIDATE CONSTRAINT \"R1_CUST_FK\"") != std::string::npos)
                return JobOutcome{
                    "FAILED", 2298,
                    "ORA-02298: cannot validate (REPORTING.R1_CUST_FK) - parent keys not found"};
            return JobOutcome{};
        };
    script_target(s, o);
}

}  // namespace dbclone::oracle::test
