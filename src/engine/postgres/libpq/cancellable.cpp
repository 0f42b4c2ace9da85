#include "engine/postgres/libpq/cancellable.h"

#include <poll.h>

#include <cerrno>

#include "core/interrupt.h"
#include "core/log.h"

namespace dbclone::pg {

namespace {
constexpr int kPollMillis = 100;
constexpr int kCleanupGracePolls = 20;  // 2 s
}  // namespace

void send_cancel(PGconn* conn) {
#ifdef LIBPQ_HAS_ASYNC_CANCEL
    // libpq 17+: the cancel connection honours the connection's TLS and
    // timeout settings.
    if (PGcancelConn* cancel = PQcancelCreate(conn)) {
        if (!PQcancelBlocking(cancel)) log::debug("cancel request failed: {}", PQcancelErrorMessage(cancel));
        PQcancelFinish(cancel);
    }
#else
    if (PGcancel* cancel = PQgetCancel(conn)) {
        char error[256] = {};
        if (!PQcancel(cancel, error, sizeof error)) log::debug("cancel request failed: {}", error);
        PQfreeCancel(cancel);
    }
#endif
}

bool wait_readable(PGconn* conn, bool& cancelled, int& grace_polls) {
    if (!cancelled && stop_requested()) {
        if (grace_polls > 0) {
            --grace_polls;
        } else {
            send_cancel(conn);
            cancelled = true;
        }
    }
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (fd.fd < 0) return false;
    int n = ::poll(&fd, 1, kPollMillis);
    if (n < 0 && errno != EINTR) return false;
    // A signal interrupts poll (EINTR): the next round sends the cancel.
    return PQconsumeInput(conn) == 1;
}

WaitOutcome wait_for_results(PGconn* conn) {
    WaitOutcome out;
    int grace = stop_requested() ? kCleanupGracePolls : 0;
    for (;;) {
        while (PQisBusy(conn))
            if (!wait_readable(conn, out.cancelled, grace)) break;
        PGresult* r = PQgetResult(conn);
        if (r == nullptr) break;
        const auto status = PQresultStatus(r);
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            if (out.result != nullptr) PQclear(out.result);
            out.result = r;
            return out;
        }
        const bool error = status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE;
        const bool have_error = out.result != nullptr && (PQresultStatus(out.result) == PGRES_FATAL_ERROR ||
                                                          PQresultStatus(out.result) == PGRES_BAD_RESPONSE);
        if (have_error && !error) {
            PQclear(r);  // the first error is the one to report
            continue;
        }
        if (out.result != nullptr) PQclear(out.result);
        out.result = r;
        if (PQstatus(conn) == CONNECTION_BAD) break;
    }
    return out;
}

WaitOutcome send_and_wait(PGconn* conn, const std::function<int(PGconn*)>& send) {
    if (send(conn) != 1) return {};
    return wait_for_results(conn);
}

}  // namespace dbclone::pg
