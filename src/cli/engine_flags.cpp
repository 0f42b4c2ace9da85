#include "cli/engine_flags.h"

#include <string>

namespace dbclone {

namespace {

// An option whose value lands in engine_options["<name>"]; the engine
// validates it (so `plan` and the real run report the same errors).
void value(CLI::App& command, Request& request, const std::string& name, const std::string& help) {
    command.add_option("--" + name, request.engine_options[name], help)->group("Oracle engine");
}

void flag(CLI::App& command, Request& request, const std::string& name, const std::string& help) {
    command
        .add_flag_callback(
            "--" + name, [&request, name] { request.engine_options[name] = "true"; }, help)
        ->group("Oracle engine");
}

}  // namespace

// Oracle engine flags (docs/oracle.md). Secrets are deliberately not flags:
// they come from DBCLONE_ORACLE_* / DBCLONE_OCI_* variables or --secrets-file.
void add_engine_flags(CLI::App& command, Command kind, Request& request) {
    const bool moves_data = kind == Command::clone || kind == Command::refresh || kind == Command::export_ ||
                            kind == Command::doctor;
    value(command, request, "bucket-uri",
          "object storage URI the dumps go to: "
          "https://objectstorage.<region>.oraclecloud.com/n/<ns>/b/<bucket>/o/");
    value(command, request, "credential-name",
          "DBMS_CLOUD credential name on both databases (default DMP_CRED)");
    value(command, request, "source-adb",
          "source ADB name used in object prefixes (default: first label of the host)");
    value(command, request, "target-adb", "target ADB name (default: first label of the host)");
    value(command, request, "auth", "ORDS authentication: basic (default) or oauth2 (client credentials)");
    value(command, request, "secrets-file", "KEY=VALUE file with DBCLONE_ORACLE_* / DBCLONE_OCI_* secrets");
    flag(command, request, "insecure-tls", "do not verify the ORDS TLS certificate (never for production)");
    value(command, request, "http-timeout", "seconds one ORDS request may take (default 300)");
    value(command, request, "poll-ms",
          "milliseconds between polls of a Data Pump or scheduler job (default 10000)");
    value(command, request, "job-timeout", "seconds to wait for one server-side job (default 86400)");
    value(command, request, "workspace", "target APEX workspace (default: target schema without WKSP_)");
    value(command, request, "app", "source APEX application id; without it only the schema is cloned");
    value(command, request, "apex-admin", "workspace admin user to create (default admin)");
    value(command, request, "apex-admin-email", "e-mail of the workspace admin");
    value(command, request, "retries", "retries of a query on HTTP 5xx/408/429 or a timeout (default 4)");
    if (moves_data) {
        if (kind != Command::doctor)
            flag(command, request, "no-preflight", "skip the read-only preflight checks before the run");
        value(command, request, "parallel", "Data Pump parallelism (default: --jobs)");
        value(command, request, "app-id", "application id on the target: reuse (default), auto or a number");
        flag(command, request, "split", "export the APEX application split into one file per component");
        value(command, request, "download", "also keep a local copy of the APEX export in DIR");
        flag(command, request, "keep-jobs", "leave the schema's scheduler jobs enabled on the target");
        flag(command, request, "copy-apex-users",
             "re-create the source workspace's APEX users on the target");
        flag(command, request, "reuse-user", "import into an existing target schema user instead of failing");
        value(command, request, "sequence-margin",
              "refresh: added to the source's sequence last_number (default 1000)");
    }
}

}  // namespace dbclone
