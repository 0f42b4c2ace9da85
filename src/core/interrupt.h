// SIGINT/SIGTERM set a flag; long loops call check_interrupted() between units
// of work, so an interrupted run stops at a point the journal can resume from.
#pragma once

namespace dbclone {

void install_interrupt_handlers();
bool interrupted();
void check_interrupted();  // throws Error(interrupted) once a signal arrived
void request_interrupt();  // for tests and for a worker that failed

}  // namespace dbclone
