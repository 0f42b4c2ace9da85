// Owners, grants and roles on the target (--owner, --role-map, --no-acl,
// --create-missing-roles): the catalog's grants are mapped once at plan time
// (so the load and verify read the same grants), the roles they and --owner
// name are checked against the target before anything is touched, missing
// ones are created NOLOGIN when asked, and --owner hands every copied object
// to that role at finalize.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/postgres/run.h"

namespace dbclone::pg {

// --no-acl drops the catalog's GRANT/REVOKE entries and schema grants;
// --role-map renames grantees (entry name, SQL and role).
void apply_acl_options(PgRun& run);

// Plan time, on the target: the roles the grants and --owner need that the
// target lacks. Error(not_found) naming them (and the flags that help)
// unless --create-missing-roles; then they are kept in run.roles_to_create.
// Error(unsupported) when --owner names a role this one may not hand objects to.
void check_target_roles(PgRun& run);

// prepare-target: CREATE ROLE ... NOLOGIN for run.roles_to_create (and,
// for --owner, membership so objects can be handed to it).
void create_missing_roles(PgRun& run);

// Within finalize's transaction: ALTER ... OWNER TO --owner for every object
// of `schema` the running role owns.
void hand_objects_to_owner(PgRun& run, const std::string& schema);

// Once every object is created (so the load's own objects do not get them)
// and before the load's verify (which compares them): ALTER DEFAULT
// PRIVILEGES ... IN SCHEMA as the source has them (roles mapped by
// --role-map). One this role may not set (the creating role missing, or its
// privileges not this role's) is a warning naming the statement to run:
// never dropped without a word.
void apply_default_privileges(PgRun& run, const std::string& schema);

// Why this role may not set `d` on the target ("" when it may); `roles`:
// the target's roles. The load's verify reports those as warned, not missing.
std::string default_privilege_blocker(Connection& target, const std::set<std::string>& roles,
                                      const DefaultPrivilege& d);

// For the plan: what the steps will do about roles and owners ("" if nothing).
std::string describe_roles(const PgRun& run);

}  // namespace dbclone::pg
