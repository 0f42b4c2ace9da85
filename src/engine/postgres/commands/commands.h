// One builder per command; postgres_engine.cpp dispatches to them.
#pragma once

#include "core/plan.h"
#include "engine/engine.h"

namespace dbclone::pg {

Plan build_clone_plan(const Request& request, RunResult& result);
Plan build_verify_plan(const Request& request, RunResult& result);
Plan build_export_plan(const Request& request, RunResult& result);
Plan build_import_plan(const Request& request, RunResult& result);
// `dumps`: a dump-set store listed or pruned (dumps.cpp); reads no database.
Plan build_dumps_plan(const Request& request, RunResult& result);

}  // namespace dbclone::pg
