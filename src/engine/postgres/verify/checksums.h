// Row counts and content checksums of many tables on one side (source or
// target), jobs in parallel; big tables are cut into block ranges like the
// copy is, so verifying a big table does not take one worker the whole time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/libpq/connection.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

struct ChecksumSide {
    std::string label;                                  // "source" or "target", for messages
    std::string schema;                                 // where the tables are on this side
    std::function<std::unique_ptr<Connection>()> open;  // a worker connection (in a snapshot where needed)
    Connection* probe = nullptr;                        // any connection of this side: version, block size
};

// By table name.
std::map<std::string, TableCopyResult> checksum_tables(const std::vector<TableData>& tables,
                                                       const ChecksumSide& side, std::size_t jobs);

}  // namespace dbclone::pg
