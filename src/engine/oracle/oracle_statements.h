// The statements of runbook RB-005 as data: each function fills one embedded
// PL/SQL template (plsql/*.sql) with binds. Pure: the same functions build
// what `plan` prints (with placeholders for values only known at run time,
// such as the export timestamp) and what the steps send.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/oracle/oracle_options.h"
#include "engine/oracle/ords/ords_client.h"

namespace dbclone::oracle {

// What plan shows where the server computes the export timestamp.
inline constexpr const char* kTimestampPlaceholder = "<YYYYMMDDTHH24MISS>";

std::string plsql(const std::string& file);  // text of plsql/<file>

// A query template with binds.
Statement query(const std::string& file, std::vector<Bind> binds);
Bind in(std::string name, std::string value);
Bind in_number(std::string name, long value);
Bind out(std::string name);

// Object prefixes (relative to the bucket URI).
std::string schema_prefix(const OracleOptions& o, const std::string& timestamp);
std::string apex_prefix(const OracleOptions& o, const std::string& timestamp);
// The timestamp component of a schema prefix ("…/20260519T213314/").
std::string prefix_timestamp(const std::string& prefix);
std::string lower(std::string s);

Statement create_credential(const OracleOptions& o, const std::string& username, const std::string& token);
// Database version, COMPATIBLE and APEX version of one side (out binds).
Statement db_version();
// `timestamp` (YYYYMMDDTHHMMSS) and `job_name` are chosen by dbclone;
// `version` is the Data Pump version parameter ("COMPATIBLE" or "19.0.0").
// `parallel`: the job's PARALLEL (journaled by the compatibility step); none
// in a plan, which shows where it comes from instead.
// `version_note`: the line the job writes into its log (dump_versions_note()).
Statement export_schema(const OracleOptions& o, const std::string& timestamp, const std::string& job_name,
                        const std::string& version, std::optional<int> parallel,
                        const std::string& version_note);
std::string export_job_name(const OracleOptions& o, const std::string& timestamp);
std::string export_log_name(const OracleOptions& o, const std::string& timestamp);
// Is a Data Pump job of that name running, or has its log been written?
Statement job_lookup(const std::string& job_name, const std::string& log_file);
Statement ship_log(const OracleOptions& o, const std::string& log_uri, const std::string& log_file);
Statement read_log(const std::string& log_file);  // paged pieces of a DATA_PUMP_DIR file
Statement import_schema(const OracleOptions& o, const std::string& prefix, bool refresh,
                        const std::string& job_name, std::optional<int> parallel);
std::string import_job_name(bool refresh, const std::string& timestamp);
std::string import_log_name(const std::string& job_name);
Statement create_user(const OracleOptions& o, const std::string& password);
Statement grant_user(const OracleOptions& o);
Statement add_workspace(const OracleOptions& o);

// APEX_UTIL.CREATE_USER with only the parameters in `supported` (upper-case
// argument names from dba_arguments of the package that the public synonym
// APEX_UTIL points at); all of them when `supported` is empty.
struct ApexUser {
    std::string name;
    std::string email;
    std::string password;
    std::string developer_privs;  // "ADMIN" for a workspace admin, "" for an end user
    std::string default_schema;
    std::string change_password_on_first_use = "N";
};
Statement create_apex_user(const std::string& workspace, const ApexUser& user,
                           const std::set<std::string>& supported);

Statement scheduler_job(const std::string& job_name, const std::string& action);
std::string compile_action(const std::string& schema);
std::string stats_action(const std::string& schema);

Statement apex_export(const OracleOptions& o, const std::string& apex_uri);
// The install block (plsql/apex_import.sql); it runs as a Scheduler job, with
// its binds inlined (inline_binds), so it has no out bind.
Statement apex_import(const OracleOptions& o, const std::string& apex_uri, const std::string& file_names,
                      long source_app);
// A statement's text with each :bind replaced by its value as a SQL literal,
// for a Scheduler job's action (jobs take no binds). Literals, quoted names
// and comments are left alone; Error(internal) for an out bind or a bind
// without a value.
std::string inline_binds(const Statement& statement);
// DBMS_SCHEDULER.DISABLE of one job ("OWNER"."NAME"), force => TRUE.
Statement disable_job(const std::string& qualified_job);
// ALTER TABLE ... MODIFY ... GENERATED ... AS IDENTITY (START WITH LIMIT VALUE)
Statement identity_resync(const std::string& owner, const std::string& table, const std::string& column,
                          const std::string& generation_type, bool on_null);
// ALTER SEQUENCE ... RESTART START WITH n (n exact, as decimal digits)
Statement sequence_restart(const std::string& owner, const std::string& sequence, const std::string& value);

// Text of a step's detail: each statement, its binds as comments, then "/".
std::string render(const std::vector<Statement>& statements, const std::string& note = {});

}  // namespace dbclone::oracle
