// Test-only fault injection. Inert unless the environment asks for it; it is
// compiled into every build so the tests exercise the binary users run.
//
//   DBCLONE_FAULT=<point>[@<n>]   the n-th time (default: the first) execution
//                                 passes <point>, the process kills itself with
//                                 SIGKILL - as `kill -9` would, nothing is
//                                 flushed or rolled back by dbclone.
//   DBCLONE_FAULT_ACTION=stop     SIGSTOP instead: the process halts there,
//                                 holding its locks, until SIGCONT (the
//                                 concurrency tests start a second run then).
//   DBCLONE_FAULT_ACTION=interrupt SIGINT instead, as Ctrl-C at exactly that
//                                 moment (the interrupt tests: a fixed delay
//                                 lands before the handler on a slow machine).
//   DBCLONE_FAULT_TRACE=<file>    appends the name of every point passed, one a
//                                 line (the kill test lists the points with it).
//
// Points are named "<where>:<moment>", e.g. "journal:before-done" (a step,
// table or DDL entry has committed on the server and is about to be
// journaled), "post-data:after-exec", "finalize:after-commit".
#pragma once

#include <string_view>

namespace dbclone {

void fault_point(std::string_view name);

}  // namespace dbclone
