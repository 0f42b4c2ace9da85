// Placeholder until the dump-set layer lands: export/import are not wired yet.
#include "core/error.h"
#include "engine/postgres/pg_commands.h"

namespace dbclone::pg {
Plan build_export_plan(const Request&, RunResult&) {
    throw Error(ErrorKind::unsupported, "export is not wired yet");
}
Plan build_import_plan(const Request&, RunResult&) {
    throw Error(ErrorKind::unsupported, "import is not wired yet");
}
}  // namespace dbclone::pg
