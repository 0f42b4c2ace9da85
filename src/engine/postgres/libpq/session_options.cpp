#include "engine/postgres/libpq/session_options.h"

#include <mutex>

#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {
std::mutex g_mutex;
std::string g_lock_wait_timeout;
}  // namespace

void set_lock_wait_timeout(const std::string& duration) {
    std::lock_guard lock(g_mutex);
    g_lock_wait_timeout = duration;
}

std::string lock_timeout_value() {
    std::lock_guard lock(g_mutex);
    if (g_lock_wait_timeout.empty()) return {};
    return quote_literal(g_lock_wait_timeout);
}

}  // namespace dbclone::pg
