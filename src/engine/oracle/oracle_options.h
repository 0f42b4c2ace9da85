// The Oracle engine's view of a Request: every flag parsed and validated up
// front (so `plan` fails fast on bad input and never needs a network), and the
// secrets looked up only when a step runs. Secrets come from environment
// variables or from a KEY=VALUE file named by --secrets-file, never from the
// command line, and are registered with redact() as soon as they are read.
#pragma once

#include <optional>
#include <string>

#include "engine/oracle/ords/ords_client.h"
#include "engine/request.h"

namespace dbclone::oracle {

enum class AppIdMode { reuse, auto_assign, explicit_id };

// The longest --job-timeout: how long a Data Pump job may run before a run
// stops waiting for it (and so how old an unfinished dump set may be while
// its export still writes it).
inline constexpr long kMaxJobTimeoutSeconds = 7 * 24 * 3600;

struct OracleOptions {
    Command command = Command::clone;
    std::string source_url;
    std::string target_url;
    std::string source_adb;  // lower case, used in object prefixes
    std::string target_adb;
    std::string source_schema;  // upper case, validated
    std::string target_schema;
    std::string workspace;    // target APEX workspace
    std::optional<long> app;  // source application id; none = schema only
    AppIdMode app_id_mode = AppIdMode::reuse;
    long app_id = 0;  // for explicit_id
    bool split_apex = false;
    std::string download_dir;  // keep a local copy of the app export
    std::string bucket_uri;    // ends with '/'
    std::string credential = "DMP_CRED";
    std::string retention = "temp";
    // Data Pump PARALLEL: --parallel N fixes it; 0 derives it from the
    // CPU_COUNT of the database that runs the job (datapump_parallel()),
    // capped by --max-parallel (0: no cap of dbclone's own).
    int parallel = 0;
    int max_parallel = 0;
    bool keep_jobs = false;
    bool copy_apex_users = false;
    bool reuse_user = false;
    std::string apex_admin_user = "admin";
    std::string apex_admin_email = "you@example.com";
    AuthMethod auth = AuthMethod::basic;
    HttpOptions http;
    double poll_seconds = 10;
    long job_timeout_seconds = 24 * 3600;  // --job-timeout, at most kMaxJobTimeoutSeconds
    int retries = 4;                       // of an idempotent request (a query) on 5xx/408/429/timeouts
    long retry_base_ms = 1000;             // first back-off; doubles, plus jitter
    long sequence_margin = 1000;
    SequencesMode sequences = SequencesMode::sync;
    bool verify_after = true;
    bool preflight = true;  // --no-preflight drops the preflight step  // --no-verify drops the §10 step from
                            // clone/refresh
    std::string secrets_file;

    // import: the dump set to read (a timestamp YYYYMMDDTHHMMSS or a whole
    // <retention>/<adb>/schema/<schema>/<timestamp> prefix; empty: newest),
    // whether --source-adb / --retention narrowed the search, and
    // TABLE_EXISTS_ACTION (none: a new schema; truncate: refresh's data-only
    // load into the existing one).
    std::string dump;
    bool source_adb_given = false;
    bool any_retention = false;
    TableExistsAction table_exists = TableExistsAction::none;

    // dumps: --prune (only with --older-than), --yes deletes, and
    // --allow-permanent lets --retention permanent be pruned.
    bool prune = false;
    bool prune_yes = false;
    bool allow_permanent = false;
    long older_than_hours = 0;
};

// Validates everything; throws Error(usage). Does not read secrets.
OracleOptions parse_options(const Request& request);

// A secret by environment variable name, else from --secrets-file; empty if
// neither has it. Registered with redact().
std::string find_secret(const OracleOptions& options, const std::string& name);
// Same, but Error(usage) naming the variable when it is missing.
std::string require_secret(const OracleOptions& options, const std::string& name, const std::string& why);

// ORDS connection settings for "source" or "target", secrets included.
OrdsConfig ords_config(const OracleOptions& options, const std::string& side);

// A random password that satisfies ADB's rules (upper, lower, digit, 12-30).
std::string random_password();

// The lower-cased first DNS label of an ORDS URL ("ur-prod" for
// https://ur-prod.adb.../ords/admin).
std::string adb_name_from_url(const std::string& url);

}  // namespace dbclone::oracle
