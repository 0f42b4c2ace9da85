#include "engine/postgres/commands/load_steps.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "core/error.h"
#include "core/fault.h"
#include "core/journal.h"
#include "core/worker_pool.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/data/source_access.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/data/table_jobs.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/refresh/load_guard.h"
#include "engine/postgres/refresh/preflight.h"
#include "engine/postgres/target/dependents.h"
#include "engine/postgres/target/extensions.h"
#include "engine/postgres/target/roles.h"
#include "engine/postgres/target/security_labels.h"
#include "engine/postgres/target/target.h"
#include "engine/postgres/verify/checksums.h"
#include "engine/postgres/verify/compare.h"
#include "engine/postgres/verify/redeparse.h"

namespace dbclone::pg {

namespace {

// Journal key: the run loads into a target schema that existed and was empty.
constexpr const char* kLoadsIntoEmptySchemaKey = "loads-into-empty-schema";

bool existing(const PgRun& run, const std::string& table) {
    return run.into_existing && run.existing_tables.count(table);
}

std::string table_list(const PgRun& run) {
    std::string out;
    for (const auto& name : run.existing_tables)
        out += (out.empty() ? "" : ", ") + qualify(run.load_schema, name);
    return out;
}

std::string entries_summary(const PgRun& run, Section section) {
    std::map<std::string, int> per_kind;
    for (const auto& e : run.catalog.entries)
        if (e.section == section) ++per_kind[e.kind];
    std::string out;
    for (const auto& [kind, n] : per_kind) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, kind);
    return out.empty() ? "nothing" : out;
}

// Existing tables that receive rows where they are (truncate, append).
bool loads_in_place(const PgRun& run) {
    const auto action = run.request.table_exists;
    return run.into_existing &&
           (action == TableExistsAction::truncate || action == TableExistsAction::append);
}

// The guard this run restores: the journaled one once there is one (a resumed
// run reads a target whose keys are already dropped), else the one read at
// plan time, journaled before anything is changed.
LoadGuard& journaled_guard(PgRun& run, Journal& journal) {
    if (auto saved = journal.get("load-guard"))
        run.guard = load_guard_from_json(*saved);
    else
        journal.set("load-guard", to_json(run.guard));
    return run.guard;
}

// Reads what the load changes and checks, before anything is touched, that
// it can finish (plan time: `plan` shows the same findings).
void plan_existing_load(PgRun& run) {
    if (!run.into_existing || run.existing_tables.empty()) return;
    auto& t = *run.target;
    if (loads_in_place(run)) {
        const bool replica = may_use_replica_role(t);
        run.guard = read_load_guard(t, run.load_schema, run.existing_tables, replica, false);
        auto findings = preflight_load(run, run.existing_tables, run.guard);
        for (auto& n : findings.notes) run.result.warnings.push_back(std::move(n));
        stop_if_blocked(findings);
    } else if (run.request.table_exists == TableExistsAction::replace) {
        // The set's own constraints come back from the source's definitions;
        // keys from tables outside it would be lost with DROP ... CASCADE.
        run.guard = read_load_guard(t, run.load_schema, run.existing_tables, false, true);
        stop_on_outside_dependents(t, run.load_schema, run.existing_tables, run.request.drop_dependents);
    }
}

// Drops the constraints and disables the triggers the load would trip on
// (each table is emptied later, in the transaction that loads it), or
// removes the tables for replace.
void prepare_existing_tables(PgRun& run, Journal& journal) {
    auto& t = *run.target;
    const auto action = run.request.table_exists;
    if (run.existing_tables.empty()) return;
    if (loads_in_place(run)) {
        with_context("dropping foreign keys and disabling triggers for the load",
                     [&] { relax_load_guard(t, journaled_guard(run, journal)); });
    } else if (action == TableExistsAction::replace) {
        // CASCADE drops dependent views and foreign keys too; those in the
        // copied schema are created again from the source's definitions,
        // keys from other tables come back from the journaled guard.
        with_context("dropping existing tables", [&] {
            relax_load_guard(t, journaled_guard(run, journal));
            in_transaction(t, [&] {
                // Again, in the dropping transaction: the plan was read earlier.
                stop_on_outside_dependents(t, run.load_schema, run.existing_tables,
                                           run.request.drop_dependents);
                t.exec("DROP TABLE " + table_list(run) + " CASCADE");
            });
        });
    }
}

// Every table's rows as the target holds them: read back during the load
// (run.landed) or read now.
std::map<std::string, TableCopyResult> checksum_target_tables(PgRun& run) {
    std::map<std::string, TableCopyResult> out;
    std::vector<TableData> unread;
    {
        std::lock_guard lock(run.mutex);
        for (const auto& t : run.catalog.tables) {
            if (auto it = run.landed.find(t.name); it != run.landed.end())
                out[t.name] = it->second;
            else
                unread.push_back(t);
        }
    }
    // A table this role owns with FORCE ROW LEVEL SECURITY (set by post-data,
    // after the read-backs of this process; a resumed run reads here what an
    // earlier one loaded): every session runs with row_security = off, so the
    // server would refuse the read (42501). Tables this run created are its
    // own: FORCE is lifted in a transaction that is never committed, and
    // they are read there. (Existing tables with FORCE are refused up front.)
    std::set<std::string> names;
    for (const auto& t : unread)
        if (!existing(run, t.name)) names.insert(t.name);
    const auto forced_list = names.empty() ? std::vector<std::string>{}
                                           : tables_forced_on_owner(*run.target, run.load_schema, names);
    const std::set<std::string> forced(forced_list.begin(), forced_list.end());
    std::vector<TableData> plain;
    std::vector<TableData> lifted;
    for (const auto& t : unread) (forced.count(t.name) ? lifted : plain).push_back(t);
    ChecksumSide side{"target", run.load_schema,
                      [&] { return std::make_unique<Connection>(run.request.target, "target"); },
                      run.target.get()};
    for (auto& [name, sum] : checksum_tables(plain, side, run.request.jobs)) out[name] = std::move(sum);
    if (!lifted.empty()) {
        ChecksumSide lifting{"target", run.load_schema,
                             [&] {
                                 auto c = std::make_unique<Connection>(run.request.target, "target");
                                 c->exec("BEGIN");
                                 for (const auto& name : forced)
                                     c->exec(fmt::format("ALTER TABLE {} NO FORCE ROW LEVEL SECURITY",
                                                         qualify(run.load_schema, name)));
                                 return c;  // closed uncommitted: FORCE stays as post-data set it
                             },
                             run.target.get()};
        for (auto& [name, sum] : checksum_tables(lifted, lifting, 1)) out[name] = std::move(sum);
    }
    return out;
}

void verify_load(PgRun& run, const ExpectedTables& expected_fn) {
    auto& t = *run.target;
    Report& report = run.result.report;
    report.set_title(fmt::format("verification of schema {} copied into {}",
                                 quote_ident(run.request.source_schema),
                                 quote_ident(run.request.target_schema)));
    auto target_catalog = read_schema_catalog(t, run.load_schema);
    compare_inventory(
        run.catalog, target_catalog, target_roles(t), report, run.into_existing,
        [&](const std::vector<DdlEntry>& entries) {
            Connection probe(run.request.target, "target");
            return redeparse_on_server(probe, run.load_schema, entries);
        },
        run.request.rewrite_bodies);
    bool kept_sequences = run.into_existing && run.request.sequences == SequencesMode::keep;
    if (!kept_sequences) compare_sequences(run.catalog, target_catalog, report);
    // Set by the default-privileges step (mapped roles, as the catalog now
    // has them): a load that lost one is not complete.
    const auto roles = target_roles(t);
    compare_default_privileges(
        run.catalog, target_catalog, report, run.into_existing,
        [&](const DefaultPrivilege& d) { return default_privilege_blocker(t, roles, d); });
    compare_schema_labels(run.catalog, target_catalog, report, run.into_existing);

    auto expected = expected_fn();
    auto actual = checksum_target_tables(run);
    // Tables that kept (skip) or added to (append) their earlier rows cannot
    // equal the source; say so instead of calling it a mismatch.
    for (const auto& name : run.existing_tables) {
        auto action = run.request.table_exists;
        if (action != TableExistsAction::skip && action != TableExistsAction::append) continue;
        if (!actual.count(name)) continue;
        const std::uint64_t source_rows = expected.count(name) ? expected[name].rows : 0;
        // An empty table kept by skip is no copy of a source table with rows.
        const bool empty_kept =
            action == TableExistsAction::skip && actual[name].rows == 0 && source_rows > 0;
        report.add(
            "rows", name, empty_kept ? CheckStatus::fail : CheckStatus::info,
            fmt::format("existing table {} by --table-exists-action: target {} rows, source {} rows",
                        action == TableExistsAction::skip ? "kept" : "appended to", actual[name].rows,
                        source_rows) +
                (empty_kept ? "; the kept table is empty: load it with --table-exists-action truncate" : ""));
        expected.erase(name);
        actual.erase(name);
    }
    std::vector<TableData> compared;
    for (const auto& td : run.catalog.tables)
        if (expected.count(td.name) || actual.count(td.name)) compared.push_back(td);
    compare_tables(compared, expected, actual, report);
    enter_load_schema(run, t);
    check_invalid_objects(t, run.load_schema, report);
}

// A resumed run that found the target schema in place and no staging schema
// (connect_target): an earlier process renamed it just before it died, or
// the schema is someone else's. The finalize step tells them apart by the
// journal; no other step may write into that schema.
// One exception: the journal says this run found the schema empty (created
// beforehand, e.g. by an administrator) and is loading into it: the objects
// there are its own, and it goes on as a load into that existing schema.
void refuse_unless_finalized(Plan& plan, const std::shared_ptr<PgRun>& run) {
    if (!run->maybe_finalized) return;
    for (auto& step : plan.steps()) {
        if (step.rerun_on_resume || step.id == "finalize") continue;
        step.run = [run, original = step.run](StepContext& ctx) {
            if (run->maybe_finalized && !ctx.journal.get(kLoadsIntoEmptySchemaKey))
                throw target_not_empty(run->request.target_schema);
            run->maybe_finalized = false;
            run->into_existing = true;
            original(ctx);
        };
    }
}

}  // namespace

bool table_receives_rows(const PgRun& run, const std::string& table) {
    return !(existing(run, table) && run.request.table_exists == TableExistsAction::skip);
}

bool table_truncated_first(const PgRun& run, const std::string& table) {
    if (!existing(run, table)) return true;  // created by this run (staging, or new in an existing schema)
    // replace: dropped and created again by this run. truncate: emptied in
    // the transaction that loads it, so readers see old rows or new rows.
    return run.request.table_exists == TableExistsAction::replace ||
           run.request.table_exists == TableExistsAction::truncate;
}

bool table_loads_in_one_transaction(const PgRun& run, const std::string& table) {
    return existing(run, table) && run.request.table_exists != TableExistsAction::replace;
}

void prepare_load_session(PgRun& run, Connection& conn) {
    enter_load_schema(run, conn);
    // Load sessions also build each table's keys and indexes once it is in.
    prepare_index_build_session(conn);
    // synchronous_commit stays as the server has it (pgcopydb turns it off).
    // The journal records a table or part as done right after its COMMIT
    // returns; with asynchronous commit a crash of the target server could
    // lose that commit after the journal recorded it, and a resumed run would
    // skip a table that is not there. It would also buy little: a table or
    // part is one commit, and its WAL is flushed by the WAL writer while the
    // COPY runs, so the commit waits only for the tail (measured: no
    // difference in wall time, issue 13).
    // Existing tables lose their foreign keys and (owner path) user triggers
    // for the load (refresh/load_guard.h). Where the role may, the load
    // sessions use replica mode instead of touching ordinary triggers.
    if (loads_in_place(run) && run.guard.replica) conn.set("session_replication_role", "replica");
}

void after_table_loaded(PgRun& run, Journal& journal, Connection& conn, std::size_t worker,
                        const TableData& table, ReadBacks& read_backs) {
    const bool staging = !run.into_existing && !run.maybe_finalized;
    // Verification reads what landed: the rows are committed (every part of
    // the table is), and in a staging schema nothing writes to a table after
    // its load (post-data adds keys, indexes, triggers; no rows). Reading it
    // now, beside its index and key builds (and, for a table without keys,
    // its ANALYZE and foreign keys) while other tables still copy, spares
    // the verify step a second pass over the whole target. The index builds
    // take a SHARE lock, which the read-back passes; what takes an ACCESS
    // EXCLUSIVE one (attaching a key to its index, a key that cannot be
    // built index first) waits for the read-back here, not on the lock.
    // Issue 13, pgbench_accounts at scale 50 alone: key build then read-back
    // 3.0 s, side by side 2.1-2.2 s (COPY text; 2.5 and 1.8 s binary). Whole
    // runs on 2 shared cores, where the servers' CPU is the bound, were not
    // measurably faster (paired medians 0.96-1.00). An existing schema is
    // read by verify, after every step that can touch it.
    // The table's foreign keys to tables already keyed come first: their
    // validating scans need this table's rows, not its keys, and they lock
    // out index builds (SHARE ROW EXCLUSIVE against SHARE), so the one
    // place they overlap other work is beside the read-back. Issue 13,
    // scale 50, the last table's tail (key to branches 0.6 s, primary key
    // 1.4 s, read-back 1.9-2.3 s): 2.6-2.7 s -> 2.3 s; whole clone, 3 paired
    // runs: 6.9-7.4 s -> 6.6-6.7 s.
    const bool read_back = staging && run.request.verify_after;
    if (read_back) read_backs.start(worker, table);
    if (staging) add_foreign_keys_of_loaded_table(run, journal, conn, table.name);
    const bool analyze_now = apply_table_post_data(run, journal, conn, table.name, [&] {
        if (read_back) read_backs.wait_for(worker);
    });
    if (analyze_now) {
        // Statistics now, while the table is in cache, not in a pass over
        // every table after post-data; nothing changes its rows afterwards.
        with_context("analyzing " + quote_ident(table.name),
                     [&] { conn.exec("ANALYZE " + qualify(run.load_schema, table.name)); });
        std::lock_guard lock(run.mutex);
        run.analyzed.insert(table.name);
    }
    if (staging) add_ready_foreign_keys(run, journal, conn, table.name);
}

std::string describe_load_mode(const PgRun& run) {
    if (!run.into_existing)
        return fmt::format(
            "objects are created in the staging schema {} (marked incomplete by its comment) and it is "
            "renamed to {} only after everything is loaded{}",
            quote_ident(run.load_schema), quote_ident(run.request.target_schema),
            run.request.verify_after ? " and verified" : "");
    std::string action;
    switch (run.request.table_exists) {
        case TableExistsAction::skip:
            action = "existing tables are left as they are";
            break;
        case TableExistsAction::append:
            action = "rows are appended to existing tables";
            break;
        case TableExistsAction::truncate:
            action =
                "each existing table is emptied and loaded in one transaction (TRUNCATE ONLY, COPY: readers "
                "see the old rows or the new ones)";
            break;
        case TableExistsAction::replace:
            action = "existing tables are dropped (CASCADE) and created again";
            break;
        case TableExistsAction::none:
            action = "?";
            break;
    }
    return fmt::format(
        "schema {} exists: {}; missing objects are created.\nexisting tables: {}{}",
        quote_ident(run.request.target_schema), action,
        run.existing_tables.empty() ? "none" : table_list(run),
        run.guard.empty() && !loads_in_place(run) ? "" : "\n" + describe_load_guard(run.guard));
}

void add_prepare_steps(Plan& plan, const std::shared_ptr<PgRun>& run) {
    // Grants as the target gets them, then everything that could stop the
    // run, before any step touches the target.
    apply_acl_options(*run);
    apply_label_options(*run);
    check_target_roles(*run);
    check_target_extensions(*run);
    check_target_label_providers(*run);
    plan_existing_load(*run);
    std::string details = describe_load_mode(*run);
    for (const auto& more : {describe_roles(*run), describe_extensions(*run)})
        if (!more.empty()) details += "\n" + more;
    plan.add({"prepare-target", "prepare the target schema", details, [run](StepContext& ctx) {
                  // An empty schema that exists already is loaded where it is; a
                  // resumed run finds it no longer empty and must know it was this run's.
                  if (run->into_existing && run->request.table_exists == TableExistsAction::none)
                      ctx.journal.set(kLoadsIntoEmptySchemaKey, true);
                  create_missing_roles(*run);
                  create_staging_schema(*run);
                  create_extensions(*run);
                  if (run->into_existing) prepare_existing_tables(*run, ctx.journal);
              }});
    plan.add({"create-objects", "create types, functions, tables, views (one transaction)",
              entries_summary(*run, Section::pre_data),
              [run](StepContext& ctx) { apply_pre_data(*run, ctx.journal); }});
}

void add_finish_steps(Plan& plan, const std::shared_ptr<PgRun>& run, const ExpectedTables& expected) {
    // Always planned for an existing schema: a resumed run reads a target whose
    // keys are already dropped, and restores from the journal.
    if (run->into_existing && run->request.table_exists != TableExistsAction::skip)
        plan.add({"restore-constraints",
                  "re-add the foreign keys and checks dropped for the load, put triggers back as they were",
                  run->guard.empty() ? "nothing was changed for the load" : describe_load_guard(run->guard),
                  [run](StepContext& ctx) {
                      auto& guard = journaled_guard(*run, ctx.journal);
                      restore_load_guard(*run->target, guard, run->result.report);
                      if (!guard.empty()) run->result.summary.push_back(describe_load_guard(guard));
                  }});
    plan.add({"post-data",
              "create constraints, indexes, triggers, rules, policies, grants; refresh materialized views",
              entries_summary(*run, Section::post_data),
              [run](StepContext& ctx) { apply_post_data(*run, ctx.journal); }});
    bool keep = run->into_existing && run->request.sequences == SequencesMode::keep;
    plan.add({"sequences",
              keep ? "keep the target's sequence values (--sequences keep)"
                   : "set sequence values as in the source",
              fmt::format("{} sequences", run->catalog.sequences.size()), [run, keep](StepContext&) {
                  if (!keep) restore_sequences(*run);
              }});
    plan.add({"analyze", "ANALYZE the copied tables (statistics are not copied)",
              fmt::format("{} tables", run->catalog.tables.size()),
              [run](StepContext&) { analyze_tables(*run); }});
    // After every object is created (the load's own objects must not get
    // default privileges), before verify (which compares them). Set on the
    // load schema, they stay with it when finalize renames it.
    plan.add({"schema-settings", "set the schema's default privileges and security labels",
              fmt::format("{} default privilege(s), {} security label(s)",
                          run->catalog.default_privileges.size(), run->catalog.schema_labels.size()),
              [run](StepContext&) {
                  in_transaction(*run->target, [&] {
                      apply_default_privileges(*run, run->load_schema);
                      apply_schema_labels(*run, run->load_schema);
                  });
              }});
    if (run->request.verify_after)
        plan.add({"verify", "verify objects, row counts, checksums, sequences, invalid objects",
                  "a difference stops the run before finalize: the target stays marked incomplete",
                  [run, expected](StepContext& ctx) {
                      // A resumed run copied some tables in an earlier process:
                      // what the source gave for them is in the journal.
                      for (const auto& t : run->catalog.tables) table_needs_work(*run, ctx.journal, t);
                      fault_point("verify:before");
                      verify_load(*run, expected);
                      if (run->result.report.has_failures())
                          throw Error(
                              ErrorKind::verify_mismatch,
                              fmt::format(
                                  "verification found {} difference(s); schema {} was left marked incomplete",
                                  run->result.report.count(CheckStatus::fail), quote_ident(run->load_schema)),
                              "see the report above");
                  }});
    plan.add({"finalize",
              run->into_existing ? "mark the schema complete" : "rename the staging schema into place",
              run->into_existing ? ""
                                 : fmt::format("ALTER SCHEMA {} RENAME TO {}", quote_ident(run->load_schema),
                                               quote_ident(run->request.target_schema)),
              [run](StepContext& ctx) {
                  if (run->maybe_finalized && ctx.journal.get(kLoadsIntoEmptySchemaKey)) {
                      run->maybe_finalized = false;  // this run's own load (refuse_unless_finalized)
                      run->into_existing = true;
                  }
                  finalize_schema(*run, ctx.journal);
              }});
    refuse_unless_finalized(plan, run);
}

}  // namespace dbclone::pg
