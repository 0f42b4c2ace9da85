// One plan builder per Oracle command (clone.cpp, refresh.cpp, export.cpp,
// verify.cpp, doctor.cpp, import.cpp, dumps.cpp): each lists the runbook steps that command runs, in order.
// oracle_engine.cpp picks the builder for the request's command.
#pragma once

#include "core/plan.h"
#include "engine/oracle/steps/oracle_steps.h"

namespace dbclone::oracle {

Plan clone_plan(const RunPtr& run);
Plan refresh_plan(const RunPtr& run);
Plan export_plan(const RunPtr& run);
Plan verify_plan(const RunPtr& run);
Plan doctor_plan(const RunPtr& run);
Plan import_plan(const RunPtr& run);
Plan dumps_plan(const RunPtr& run);

// Shared by clone, refresh and export (export.cpp): the schema export, its
// wait and its log; the APEX export when an application is named.
void add_export(Plan& plan, const RunPtr& run);
void add_apex_export(Plan& plan, const RunPtr& run);
// Data Pump import of the dump into the target schema, jobs disabled, log
// read, objects compiled, statistics, row counts (clone and import).
void add_schema_import(Plan& plan, const RunPtr& run);
// Data only into the existing tables, foreign keys and triggers disabled and
// restored exactly, identity columns restarted (refresh and import).
void add_reload(Plan& plan, const RunPtr& run);

}  // namespace dbclone::oracle
