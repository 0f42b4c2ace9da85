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
//   DBCLONE_FAULT=*@<n>           the n-th pass of any point, whichever it is
//                                 (the kill test spreads kills over a run).
//   DBCLONE_FAULT_AFTER_MS=<ms>   the process kills itself (SIGKILL) that long
//                                 after it started, wherever it is then: a
//                                 kill at a random moment, not at a point.
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

// Reads the fault settings at start-up and arms DBCLONE_FAULT_AFTER_MS.
void arm_faults();

}  // namespace dbclone
