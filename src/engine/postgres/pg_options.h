// The PostgreSQL engine's own flags (postgres_cli_options.cpp registers
// them; values travel in Request::engine_options under their long names):
// who owns the copied objects, which grants are copied and to whom, and
// whether missing roles and extensions are created on the target.
#pragma once

#include <map>
#include <string>

#include "engine/request.h"

namespace dbclone::pg {

struct PgOptions {
    std::string owner;  // --owner: owner of every copied object; empty: the running role
    std::map<std::string, std::string> role_map;  // --role-map src:dst,...: grantees renamed on the target
    bool no_acl = false;                          // --no-acl: no GRANT/REVOKE copied
    bool create_missing_roles = false;            // --create-missing-roles: CREATE ROLE ... NOLOGIN
    bool create_extensions = false;               // --create-extensions: CREATE EXTENSION IF NOT EXISTS
    // --enable-row-security: read the source as its policies let this role
    // (pg_dump's option of the same name): the copy may hold fewer rows than
    // the tables do, and the run says which tables. Without it, a table whose
    // policies apply to the role stops the run before anything is touched.
    bool enable_row_security = false;
    bool no_security_labels = false;  // --no-security-labels: labels named in warnings only
};

// Error(usage) for a malformed value.
PgOptions parse_pg_options(const Request& request);

// Whether engine_options[name] belongs to this engine.
bool is_pg_option(const std::string& name);

// The role a source role becomes on the target (--role-map, else itself).
std::string mapped_role(const PgOptions& options, const std::string& source_role);

}  // namespace dbclone::pg
