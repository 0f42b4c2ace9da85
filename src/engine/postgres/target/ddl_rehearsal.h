// Before an older target server is changed: does it accept every object of
// the source as the source defines it? (A newer source may use what an older
// release lacks: a multirange column on 13, NULLS NOT DISTINCT on 14, ...)
#pragma once

#include "engine/postgres/run.h"

namespace dbclone::pg {

// When the target's major release is older than the source's, creates every
// object of run.catalog in a scratch schema inside one transaction on the
// target and rolls it back, so nothing is left behind. Throws
// Error(unsupported) naming the first object the target cannot create and
// the server's reason. Does nothing for a target as new as the source.
void rehearse_ddl_on_older_target(PgRun& run);

// 15 for "15.18 (Debian 15.18-0+deb12u1)"; 0 when there is no number.
int major_version(const std::string& server_version);

}  // namespace dbclone::pg
