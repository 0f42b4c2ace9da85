// The PostgreSQL engine's command-line options (pg_options.h), registered on
// the commands that load a target through the engine registry
// (engine/engine.h). Values land in Request::engine_options under the
// option's long name; parse_pg_options checks them when the engine plans.
#include <CLI/CLI.hpp>
#include <string>

#include "engine/request.h"

namespace dbclone {

namespace {

constexpr const char* kGroup = "PostgreSQL engine";

void flag(CLI::App& command, Request& request, const std::string& name, const std::string& help) {
    command
        .add_flag_callback(
            "--" + name, [&request, name] { request.engine_options[name] = "true"; }, help)
        ->group(kGroup);
}

}  // namespace

void add_postgres_cli_options(CLI::App& command, Command kind, Request& request) {
    const auto role_map = [&] {
        command
            .add_option("--role-map", request.engine_options["role-map"],
                        "SRC:DST[,...]: grants to source role SRC go to DST on the target")
            ->group(kGroup);
    };
    const auto no_labels = [&] {
        flag(command, request, "no-security-labels",
             "copy no SECURITY LABEL (each is named in a warning); without it, a target that has not "
             "loaded a label provider the schema uses stops the run before anything is changed");
    };
    // verify compares a copy made with --role-map: grants to SRC are expected as grants to DST;
    // and one made with --no-security-labels: the labels are not expected.
    if (kind == Command::verify) {
        role_map();
        no_labels();
    }
    // Commands that read a source database's rows.
    if (kind == Command::clone || kind == Command::export_ || kind == Command::refresh ||
        kind == Command::verify)
        flag(command, request, "enable-row-security",
             "read source tables whose row-level security policies apply to this role as the policies "
             "allow (rows may be missing from the copy; the run names the tables)");
    if (kind != Command::clone && kind != Command::import && kind != Command::refresh) return;
    command
        .add_option("--owner", request.engine_options["owner"],
                    "role that owns the copied objects on the target")
        ->group(kGroup);
    role_map();
    flag(command, request, "no-acl", "copy no GRANT/REVOKE (objects keep the target's default privileges)");
    flag(command, request, "create-missing-roles",
         "create roles that grants or --owner name and the target lacks (NOLOGIN, no password)");
    flag(command, request, "create-extensions",
         "CREATE EXTENSION IF NOT EXISTS for the extensions the schema uses, in the source's schemas");
    no_labels();
}

}  // namespace dbclone
