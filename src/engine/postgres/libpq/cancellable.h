// Waiting on a server without being stuck there. Every statement dbclone
// sends goes out with libpq's asynchronous calls and is waited for in short
// polls of the socket; when stop_requested() turns true (SIGINT/SIGTERM, or
// another job of the same worker pool failed) the statement is cancelled on
// the server (PQcancelBlocking with libpq 17+, PQcancel before), so a query
// blocked on a lock or a long index build ends within moments and the run
// stops where its journal can resume.
#pragma once

#include <libpq-fe.h>

#include <functional>

namespace dbclone::pg {

struct WaitOutcome {
    // The first error result, else the last result; a COPY IN/OUT result is
    // returned as soon as it arrives (the caller then streams). nullptr with
    // a broken connection (PQerrorMessage says why).
    PGresult* result = nullptr;
    bool cancelled = false;  // a cancel request was sent while waiting
};

// Sends with `send` (PQsendQuery, PQsendQueryParams; returns 1 on success)
// and waits for the results.
WaitOutcome send_and_wait(PGconn* conn, const std::function<int(PGconn*)>& send);

// Waits for the results of what was already sent (after PQputCopyEnd).
WaitOutcome wait_for_results(PGconn* conn);

// Waits until the socket is readable (or 100 ms passed) and reads what came;
// sends a cancel request once when a stop is requested, after `grace_polls`
// more rounds (a statement sent while the run was already stopping - a
// cleanup - gets a moment to finish). False when the connection broke.
bool wait_readable(PGconn* conn, bool& cancelled, int& grace_polls);

// Asks the server to cancel what this connection runs now.
void send_cancel(PGconn* conn);

}  // namespace dbclone::pg
