#include "core/error.h"

#include <array>
#include <utility>

namespace dbclone {

namespace {
struct KindInfo {
    ErrorKind kind;
    int exit_code;
    std::string_view name;
};
// The one table that maps error kinds to exit codes (docs/EXIT_CODES.md).
constexpr std::array<KindInfo, 17> kKinds{{
    {ErrorKind::usage, 2, "usage"},
    {ErrorKind::connection, 3, "connection"},
    {ErrorKind::authentication, 4, "authentication"},
    {ErrorKind::not_found, 5, "not-found"},
    {ErrorKind::target_exists, 6, "target-exists"},
    {ErrorKind::corrupt_artefact, 7, "corrupt-artefact"},
    {ErrorKind::io, 8, "io"},
    {ErrorKind::sql, 9, "sql"},
    {ErrorKind::remote_job, 10, "remote-job"},
    {ErrorKind::verify_mismatch, 11, "verify-mismatch"},
    {ErrorKind::interrupted, 12, "interrupted"},
    {ErrorKind::unsupported, 13, "unsupported"},
    {ErrorKind::busy, 14, "busy"},
    {ErrorKind::untrusted, 15, "untrusted"},
    {ErrorKind::dependents, 16, "dependents"},
    {ErrorKind::source_changed, 17, "source-changed"},
    {ErrorKind::internal, 70, "internal"},
}};
}  // namespace

int exit_code(ErrorKind kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return k.exit_code;
    return 70;
}

std::string_view kind_name(ErrorKind kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return k.name;
    return "internal";
}

Error::Error(ErrorKind kind, std::string message, std::string hint)
    : kind_(kind), message_(std::move(message)), hint_(std::move(hint)) {}

Error& Error::add_context(std::string frame) {
    context_.push_back(std::move(frame));
    return *this;
}

Error& Error::set_sqlstate(std::string sqlstate) {
    sqlstate_ = std::move(sqlstate);
    return *this;
}

Error& Error::set_hint(std::string hint) {
    hint_ = std::move(hint);
    return *this;
}

std::string Error::one_line() const {
    std::string out;
    for (auto it = context_.rbegin(); it != context_.rend(); ++it) {
        out += *it;
        out += ": ";
    }
    out += message_;
    // Server messages can span lines; the user gets exactly one.
    for (char& c : out)
        if (c == '\n' || c == '\r') c = ' ';
    return out;
}

}  // namespace dbclone
