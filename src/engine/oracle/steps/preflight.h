// The pieces of the read-only preflight that its two forms share: the one of
// clone, refresh, export and doctor (preflight_steps.cpp) and the one of
// import (import_preflight.cpp), which has a dump set in the bucket where the
// others have a source database. Each piece adds report lines under
// "preflight", each with its fix; nothing here writes.
#pragma once

#include <string>
#include <vector>

#include "engine/oracle/steps/oracle_steps.h"

namespace dbclone::oracle::preflight {

struct Lines {
    Report& report;
    int failures = 0;
    std::string first_fix;

    void line(const std::string& name, CheckStatus status, const std::string& evidence,
              const std::string& fix = {});
    // Error(unsupported) naming the failures and the first fix, if any failed.
    void stop_if_failed() const;
};

struct SideInfo {
    bool reachable = false;
    std::string version, compatible, apex;
};

// ORDS reachable and authenticated; the versions it reported.
SideInfo connect(Lines& p, OrdsClient& db, const std::string& side);
// The roles a step needs (any missing: a warning with the GRANT).
void roles(Lines& p, OrdsClient& db, const std::string& side, const std::vector<std::string>& wanted);
// The credential lists the bucket: true when it did. A credential that
// does not exist yet is a warning (the credential step creates it).
bool bucket(Lines& p, OrdsClient& db, const OracleOptions& o, const std::string& side);
// Free storage on the target against `need` bytes; `reclaimed`: the target
// schema's own segments count as free (a reload replaces them).
void storage(Lines& p, OrdsClient& db, const OracleOptions& o, double need, bool reclaimed,
             const std::string& need_what);
// The target user, and with --app the workspace and application id, against
// what a run into a new schema would create: `collision` is the status of a
// clash (fail before a clone or import, warn for doctor).
void collisions(Lines& p, OrdsClient& db, const OracleOptions& o, CheckStatus collision);

// What every preflight shows first in its plan: the versions, the roles and
// the credential's bucket listing.
std::vector<Statement> first_statements(const OracleOptions& o);

}  // namespace dbclone::oracle::preflight
