// One error type for the whole tool. Its kind decides the process exit code
// (see exit_code()); context frames are added as the error travels up, so the
// single place that prints it (cli/main) can say what was being done, on what.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace dbclone {

enum class ErrorKind {
    usage,             // bad command line or option value
    connection,        // server unreachable, TLS or HTTP transport failure
    authentication,    // wrong password, 401
    not_found,         // source schema, dump set, table ... does not exist
    target_exists,     // target object present and no action was asked for
    corrupt_artefact,  // manifest unreadable, chunk checksum mismatch
    io,                // local file system: full disk, permission, missing file
    sql,               // a statement failed on a server
    remote_job,        // a server-side job (Data Pump, scheduler) failed
    verify_mismatch,   // verify found a difference
    interrupted,       // SIGINT/SIGTERM: the run is resumable
    unsupported,       // a valid request this engine/server cannot do
    busy,              // another process runs this run or loads into this target
    untrusted,         // a dump set unsigned/badly signed, or its DDL does more than its entries say
    dependents,        // replacing would drop objects outside the copied set that depend on it
    source_changed,    // a resume found the source schema changed since the run started
    internal,          // a bug in dbclone
};

// Exit codes are part of the interface: documented in docs/EXIT_CODES.md.
int exit_code(ErrorKind kind);
std::string_view kind_name(ErrorKind kind);

class Error : public std::exception {
public:
    Error(ErrorKind kind, std::string message, std::string hint = {});

    ErrorKind kind() const { return kind_; }
    const std::string& message() const { return message_; }
    const std::string& hint() const { return hint_; }
    // The server's SQLSTATE ("42P07") when a statement failed there, else empty.
    // Decisions are taken on it, never on message text: servers translate
    // their messages (lc_messages).
    const std::string& sqlstate() const { return sqlstate_; }
    Error& set_sqlstate(std::string sqlstate);
    // Innermost first: ["copying table \"a\".\"b\"", "step copy-data"].
    const std::vector<std::string>& context() const { return context_; }

    Error& add_context(std::string frame);
    Error& set_hint(std::string hint);

    // One line: "while <outer>: while <inner>: message".
    std::string one_line() const;
    const char* what() const noexcept override { return message_.c_str(); }

private:
    ErrorKind kind_;
    std::string message_;
    std::string hint_;
    std::string sqlstate_;
    std::vector<std::string> context_;
};

// Runs fn; an Error escaping it gets `frame` appended to its context, any other
// exception becomes an internal Error with that frame.
template <typename Fn>
auto with_context(const std::string& frame, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (Error& e) {
        e.add_context(frame);
        throw;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        Error wrapped(ErrorKind::internal, e.what());
        wrapped.add_context(frame);
        throw wrapped;
    }
}

}  // namespace dbclone
