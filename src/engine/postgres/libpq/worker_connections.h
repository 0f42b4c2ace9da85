// One connection per worker thread, opened on first use: worker i only ever
// touches slot i, so no locking is needed.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

class WorkerConnections {
public:
    WorkerConnections(std::size_t workers, std::function<std::unique_ptr<Connection>()> open)
        : slots_(workers), open_(std::move(open)) {}

    Connection& get(std::size_t worker) {
        auto& slot = slots_.at(worker);
        if (!slot) slot = open_();
        return *slot;
    }

private:
    std::vector<std::unique_ptr<Connection>> slots_;
    std::function<std::unique_ptr<Connection>()> open_;
};

}  // namespace dbclone::pg
