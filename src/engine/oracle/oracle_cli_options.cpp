// The Oracle engine's command-line options (docs/oracle.md), registered on
// every command through the engine registry (engine/engine.h). Values land in
// Request::engine_options under the option's long name; CLI11 validators
// reject a malformed value while parsing, and oracle_options.cpp checks every
// value again when the engine plans (so `plan` and a run that gets its
// options another way report the same errors). Secrets are deliberately not
// options: they come from DBCLONE_ORACLE_* / DBCLONE_OCI_* variables or
// --secrets-file.
#include <CLI/CLI.hpp>
#include <string>

#include "engine/request.h"

namespace dbclone {

namespace {

constexpr const char* kGroup = "Oracle engine";

CLI::Option* value(CLI::App& command, Request& request, const std::string& name, const std::string& help) {
    return command.add_option("--" + name, request.engine_options[name], help)->group(kGroup);
}

// A whole number in [min, max] (the ranges oracle_options.cpp enforces).
void number(CLI::App& command, Request& request, const std::string& name, long min, long max,
            const std::string& help) {
    value(command, request, name, help)->check(CLI::Range(min, max));
}

void flag(CLI::App& command, Request& request, const std::string& name, const std::string& help) {
    command
        .add_flag_callback(
            "--" + name, [&request, name] { request.engine_options[name] = "true"; }, help)
        ->group(kGroup);
}

// --app-id: reuse, auto or an application id.
const CLI::Validator kAppIdMode(
    [](std::string& v) -> std::string {
        if (v == "reuse" || v == "auto") return {};
        return CLI::Range(1L, 2147483647L)(v).empty() ? std::string() : "use reuse, auto or a number";
    },
    "reuse|auto|ID");

}  // namespace

void add_oracle_cli_options(CLI::App& command, Command kind, Request& request) {
    const bool moves_data = kind == Command::clone || kind == Command::refresh || kind == Command::export_ ||
                            kind == Command::doctor || kind == Command::import;
    value(command, request, "bucket-uri",
          "object storage URI the dumps go to: "
          "https://objectstorage.<region>.oraclecloud.com/n/<ns>/b/<bucket>/o/");
    value(command, request, "credential-name",
          "DBMS_CLOUD credential name on both databases (default DMP_CRED)");
    value(command, request, "source-adb",
          "source ADB name used in object prefixes (default: first label of the host)");
    value(command, request, "target-adb", "target ADB name (default: first label of the host)");
    value(command, request, "auth", "ORDS authentication: basic (default) or oauth2 (client credentials)")
        ->check(CLI::IsMember({"basic", "oauth2"}));
    value(command, request, "secrets-file", "KEY=VALUE file with DBCLONE_ORACLE_* / DBCLONE_OCI_* secrets");
    flag(command, request, "insecure-tls", "do not verify the ORDS TLS certificate (never for production)");
    number(command, request, "http-timeout", 1, 3600, "seconds one ORDS request may take (default 300)");
    number(command, request, "poll-ms", 0, 600000,
           "milliseconds between polls of a Data Pump or scheduler job (default 10000)");
    number(command, request, "job-timeout", 1, 7L * 24 * 3600,
           "seconds to wait for one server-side job (default 86400)");
    value(command, request, "retries", "retries of a query on HTTP 5xx/408/429 or a timeout (default 4)");
    // dumps' own options (--prune, --older-than, --yes, --allow-permanent)
    // are every engine's: cli/command_line.cpp.
    if (kind == Command::dumps) return;
    value(command, request, "workspace", "target APEX workspace (default: target schema without WKSP_)");
    number(command, request, "app", 1, 2147483647,
           "source APEX application id; without it only the schema is cloned");
    value(command, request, "apex-admin", "workspace admin user to create (default admin)");
    value(command, request, "apex-admin-email", "e-mail of the workspace admin");
    if (moves_data) {
        if (kind != Command::doctor)
            flag(command, request, "no-preflight", "skip the read-only preflight checks before the run");
        number(command, request, "parallel", 1, 64,
               "Data Pump parallelism (default: the CPU_COUNT of the database that runs the job, capped "
               "by its MAX_DATAPUMP_PARALLEL_PER_JOB and by --max-parallel)");
        number(command, request, "max-parallel", 1, 1024,
               "upper bound of the derived Data Pump parallelism (default: no bound of dbclone's own)");
        value(command, request, "app-id", "application id on the target: reuse (default), auto or a number")
            ->check(kAppIdMode);
        flag(command, request, "split", "export the APEX application split into one file per component");
        value(command, request, "download", "also keep a local copy of the APEX export in DIR");
        flag(command, request, "keep-jobs", "leave the schema's scheduler jobs enabled on the target");
        flag(command, request, "copy-apex-users",
             "re-create the source workspace's APEX users on the target");
        flag(command, request, "reuse-user", "import into an existing target schema user instead of failing");
        number(command, request, "sequence-margin", 0, 1000000000,
               "refresh: added to the source's sequence last_number (default 1000)");
    }
}

}  // namespace dbclone
