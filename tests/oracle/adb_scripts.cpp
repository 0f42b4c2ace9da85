#include "oracle/adb_scripts.h"

#include <fmt/format.h>

#include <cstdlib>

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

void script_source(OrdsTestServer& s, const ScriptOptions& options) {
    s.on("DBMS_CLOUD.CREATE_CREDENTIAL", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"existed", 0}});
    });
    s.on("DBMS_DATAPUMP.OPEN('EXPORT'", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"job_name", "SCH_WKSP_PROD_20260519T213314"},
                                           {"prefix", kPrefix},
                                           {"log_file", "export_ur-prod_wksp_prod_20260519T213314.log"}});
    });
    s.on("attached_sessions", [options](const Received& r, int call) {
        std::string st = call < 3 ? "EXECUTING" : options.export_fails ? "NOT RUNNING" : "COMPLETED";
        return query_reply(r.statement(), {{{"job_name", "SCH_WKSP_PROD_20260519T213314"},
                                            {"state", st},
                                            {"degree", 4},
                                            {"attached_sessions", 0}}});
    });
    s.on("v$session_longops", [](const Received& r, int call) {
        return query_reply(r.statement(), {{{"sofar", 50 * call}, {"totalwork", 100}, {"units", "MB"}}});
    });
    s.on("BFILENAME('DATA_PUMP_DIR'", [options](const Received& r, int) {
        std::string tail =
            options.export_fails
                ? "ORA-39126: Worker unexpected fatal error in KUPW$WORKER.MAIN\n"
                  "ORA-01555: snapshot too old\n"
                  "Job \"ADMIN\".\"SCH_WKSP_PROD_20260519T213314\" stopped due to fatal error at "
                  "Tue May 19 21:40:02 2026 elapsed 0 00:06:21\n"
                : "Dump file set for ADMIN.SCH_WKSP_PROD_20260519T213314 is:\n  https://.../dump_01.dmp\n"
                  "Job \"ADMIN\".\"SCH_WKSP_PROD_20260519T213314\" successfully completed at "
                  "Tue May 19 21:40:02 2026 elapsed 0 00:06:21\n";
        return plsql_reply(r.statement(), {{"log_tail", tail}});
    });
    s.on("APEX_EXPORT.GET_APPLICATION", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"workspace", "PROD"}, {"file_names", "f100.sql"}});
    });
    s.on("DBMS_XMLGEN.GETXMLTYPE", [](const Received& r, int) { return row_count_reply(r); });
    s.on("all_db_links", [](const Received& r, int) {
        return query_reply(r.statement(),
                           {{{"db_link", "ERP.EXAMPLE.COM"}, {"username", "ERP_RO"}, {"host", "erp"}}});
    });
    s.on("dba_host_aces", [](const Received& r, int) {
        return error_reply(r.statement(), 942, "ORA-00942: table or view does not exist");
    });
    s.on("all_credentials", [](const Received& r, int) { return query_reply(r.statement(), {}); });
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
    s.on("all_sequences", [](const Received& r, int) {
        return query_reply(r.statement(),
                           {{{"sequence_name", "ORDERS_SEQ"}, {"last_number", 5000}, {"increment_by", 1}},
                            {{"sequence_name", "OLD_SEQ"}, {"last_number", 10}, {"increment_by", 1}}});
    });
}

void script_target(OrdsTestServer& s, const ScriptOptions& options) {
    s.on("DBMS_CLOUD.CREATE_CREDENTIAL", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"existed", 1}});
    });
    s.on("FROM all_users", [](const Received& r, int) { return query_reply(r.statement(), {}); });
    s.on("CREATE USER",
         [](const Received& r, int) { return ddl_reply(r.statement(), "User \"WKSP_URPREPROD\" created."); });
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
    s.on("all_arguments", [](const Received& r, int) {
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
    auto import_503 = std::make_shared<int>(options.import_503_times);
    s.on("DBMS_DATAPUMP.OPEN('IMPORT'", [import_503](const Received& r, int) {
        if (*import_503 > 0) {
            --*import_503;
            return Reply{503, "Service Unavailable", "text/plain"};
        }
        return plsql_reply(r.statement(), {{"job_name", "SCH_IMP_20260519_2150"}});
    });
    s.on("attached_sessions", [](const Received& r, int call) {
        if (call == 1)
            return query_reply(r.statement(), {{{"job_name", "SCH_IMP_20260519_2150"},
                                                {"state", "EXECUTING"},
                                                {"degree", 4},
                                                {"attached_sessions", 0}}});
        return query_reply(r.statement(), {});
    });
    s.on("v$session_longops", [](const Received& r, int) {
        return error_reply(r.statement(), 942, "ORA-00942: table or view does not exist");
    });
    s.on("BFILENAME('DATA_PUMP_DIR'", [](const Received& r, int) {
        return plsql_reply(r.statement(),
                           {{"log_tail",
                             "ORA-31684: Object type USER:\"WKSP_URPREPROD\" already exists\n"
                             "Job \"ADMIN\".\"SCH_IMP_20260519_2150\" completed with 1 error(s) at "
                             "Tue May 19 21:55:10 2026 elapsed 0 00:04:02\n"}});
    });
    s.on("DBMS_SCHEDULER.CREATE_JOB", [](const Received& r, int) { return plsql_reply(r.statement()); });
    s.on("user_scheduler_job_run_details", [](const Received& r, int call) {
        if (call == 1) return query_reply(r.statement(), {});
        return query_reply(r.statement(),
                           {{{"status", "SUCCEEDED"}, {"error_code", 0}, {"additional_info", nullptr}}});
    });
    s.on("status = 'INVALID'", [](const Received& r, int) { return query_reply(r.statement(), {}); });
    s.on("DBMS_XMLGEN.GETXMLTYPE", [](const Received& r, int) { return row_count_reply(r, "T0007"); });
    s.on("APEX_APPLICATION_INSTALL.INSTALL", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"installed_app_id", 100}});
    });
    s.on("FROM apex_applications", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"application_id", 100},
                                            {"application_name", "UR App"},
                                            {"owner", "WKSP_URPREPROD"},
                                            {"pages", 12}}});
    });
    s.on("DBMS_SCHEDULER.DISABLE", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"disabled", 2}});
    });
    s.on("FROM user_datapump_jobs ORDER BY",
         [](const Received& r, int) { return query_reply(r.statement(), {}); });
    s.on("tables_analyzed", [](const Received& r, int) {
        return query_reply(
            r.statement(),
            {{{"tables_total", kTables}, {"tables_analyzed", kTables}, {"oldest", "2026-05-19T21:58:00"}}});
    });
    s.on("FROM all_scheduler_jobs", [](const Received& r, int) {
        return query_reply(r.statement(),
                           {{{"job_name", "NIGHTLY_FEED"}, {"enabled", "FALSE"}, {"state", "DISABLED"}}});
    });
    s.on("all_sequences", [](const Received& r, int) {
        return query_reply(r.statement(),
                           {{{"sequence_name", "ORDERS_SEQ"}, {"last_number", 4000}, {"increment_by", 1}},
                            {{"sequence_name", "OLD_SEQ"}, {"last_number", 99999}, {"increment_by", 1}}});
    });
    s.on("ALTER SEQUENCE",
         [](const Received& r, int) { return ddl_reply(r.statement(), "Sequence altered."); });
}

}  // namespace dbclone::oracle::test
