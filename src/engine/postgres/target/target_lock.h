// One load per target schema: a session-level advisory lock on the target,
// keyed by the target schema's name, held by the run's main target session
// for the whole run. A second run into the same schema - the same command
// twice, a --resume while the first still runs, or another source - is
// refused with the holder named. The server drops the lock when the holder's
// session ends, so a killed run never blocks its --resume for long.
#pragma once

#include <memory>
#include <string>

#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// Error(busy) naming the holding session when another one holds the lock.
void lock_target_schema(Connection& target, const std::string& target_schema);

// The same lock for a target reached through a transaction-mode pooler
// (Connection::pooled): taken as a transaction lock by a connection of its
// own whose transaction stays open until the returned connection is closed.
std::unique_ptr<Connection> lock_target_schema_pooled(const std::string& conninfo,
                                                      const std::string& target_schema);

}  // namespace dbclone::pg
