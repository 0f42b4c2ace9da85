// Verification's read-back of loaded tables, beside the loading: each load
// worker has one reader thread with a target connection of its own. A
// table's rows are read back (checksummed as they landed) once they are
// committed, while the worker that loaded it builds its indexes and keys
// and goes on: on a loaded or small machine the read-back of the last big
// table was the longest serial stretch of a clone (issue 13: 21 s of 72 s
// at pgbench scale 20 with the servers starved of CPU); it now overlaps
// that table's index builds, ANALYZE and foreign keys and the other
// tables' copy. Results go to run.landed, as the verify step expects.
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "engine/postgres/libpq/connection.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

class ReadBacks {
public:
    ReadBacks(PgRun& run, std::size_t workers);
    // Waits for every reader; an error is dropped here (finish() reports it).
    ~ReadBacks();
    ReadBacks(const ReadBacks&) = delete;
    ReadBacks& operator=(const ReadBacks&) = delete;

    // Starts reading `table` back on worker's reader; first waits for that
    // reader's previous table and rethrows its error.
    void start(std::size_t worker, const TableData& table);
    // Waits for worker's reader (its last table) to end. Its error, if any,
    // stays for start() or finish() to raise: raised here, it would pass
    // for an error of the statement that waited (a key waiting to attach
    // was reported as "creating CONSTRAINT ...: reading back table ...").
    void wait_for(std::size_t worker);
    // Waits for every reader; rethrows the first error.
    void finish();

private:
    struct Reader {
        std::unique_ptr<Connection> conn;
        std::thread thread;
        std::exception_ptr error;
    };
    // Waits for the reader's thread to end; wait() also rethrows its error.
    static void join(Reader& reader);
    void wait(Reader& reader);

    PgRun& run_;
    std::vector<Reader> readers_;
};

}  // namespace dbclone::pg
