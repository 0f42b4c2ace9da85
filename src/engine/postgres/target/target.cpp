#include "engine/postgres/target/target.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/fault.h"
#include "core/log.h"
#include "core/worker_pool.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/catalog/grant_sql.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/sqlstate.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/target/ddl_guard.h"
#include "engine/postgres/target/ddl_rehearsal.h"
#include "engine/postgres/target/load_preflight.h"
#include "engine/postgres/target/reconcile.h"
#include "engine/postgres/target/remap_entries.h"
#include "engine/postgres/target/roles.h"
#include "engine/postgres/target/target_lock.h"

namespace dbclone::pg {

namespace {
bool schema_is_empty(Connection& conn, const std::string& schema) {
    return conn.query(
                   "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE n.nspname = $1)"
                   " + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE "
                   "n.nspname = $1)"
                   " + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE "
                   "n.nspname = $1"
                   "    AND t.typtype IN ('e','d','r','c') AND t.typrelid = 0)",
                   {schema})
               .get(0, 0) == "0";
}

// An empty schema created beforehand (by an administrator) is loaded where
// it is, and the load marks it incomplete, then sets the source's comment
// and grants: all of that needs its owner. Checked before anything is
// created, instead of failing after the tables are there.
void expect_schema_owner(Connection& conn, const std::string& schema) {
    auto r = conn.query(
        "SELECT pg_catalog.pg_has_role(nspowner, 'USAGE') AS owner, nspowner::regrole::text AS owned_by, "
        "current_user AS me FROM pg_catalog.pg_namespace WHERE nspname = $1",
        {schema});
    if (r.rows() == 0 || r.get_bool(0, "owner")) return;
    throw Error(
        ErrorKind::unsupported,
        fmt::format("schema {} exists and is empty, but is owned by role {}: loading into it needs its "
                    "owner's rights (its comment and grants are set)",
                    quote_ident(schema), r.get(0, "owned_by")),
        fmt::format("have {} (or a superuser) run ALTER SCHEMA {} OWNER TO {}, or drop the schema and "
                    "let dbclone create it",
                    r.get(0, "owned_by"), quote_ident(schema), quote_ident(r.get(0, "me"))));
}

}  // namespace

Error target_not_empty(const std::string& schema) {
    return Error(
        ErrorKind::target_exists,
        fmt::format("schema {} already exists in the target database and is not empty", quote_ident(schema)),
        "choose another --remap-schema name, or load into it with "
        "--table-exists-action skip|append|truncate|replace");
}

std::set<std::string> target_roles(Connection& conn) {
    std::set<std::string> roles;
    auto r = conn.query("SELECT rolname FROM pg_roles");
    for (int i = 0; i < r.rows(); ++i) roles.insert(r.get(i, 0));
    return roles;
}

namespace {

// Where the run loads: the staging schema, or the target schema itself (an
// action into existing tables, or a resume that may have finalized).
void choose_load_schema(PgRun& run) {
    const auto& req = run.request;
    auto& t = *run.target;
    std::string staging = staging_schema_name(req.target_schema);
    if (req.resume && req.table_exists == TableExistsAction::none && schema_exists(t, req.target_schema) &&
        !schema_exists(t, staging) && !schema_is_empty(t, req.target_schema)) {
        // Refused by the steps unless the journal holds the finalize intent.
        run.maybe_finalized = true;
        run.load_schema = req.target_schema;
        return;
    }
    if (schema_exists(t, req.target_schema)) {
        bool empty = schema_is_empty(t, req.target_schema);
        if (!empty && req.table_exists == TableExistsAction::none) throw target_not_empty(req.target_schema);
        if (empty && req.table_exists == TableExistsAction::none) expect_schema_owner(t, req.target_schema);
        run.into_existing = true;
        run.load_schema = req.target_schema;
        auto present = t.query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')",
            {req.target_schema});
        std::set<std::string> names;
        for (int i = 0; i < present.rows(); ++i) names.insert(present.get(i, 0));
        for (const auto& e : run.catalog.entries)
            if (e.kind == "TABLE" && names.count(e.name)) run.existing_tables.insert(e.name);
        return;
    }
    if (schema_exists(t, staging) && !req.resume)
        throw Error(ErrorKind::target_exists,
                    fmt::format("schema {} holds an incomplete earlier run into {}", quote_ident(staging),
                                quote_ident(req.target_schema)),
                    "resume it with --resume, or drop that schema to start over");
    run.load_schema = staging;
}

}  // namespace

void connect_target(PgRun& run) {
    const auto& req = run.request;
    run.target = std::make_unique<Connection>(req.target, "target");
    auto& t = *run.target;
    if (t.server_version() < 130000)
        throw Error(
            ErrorKind::unsupported,
            fmt::format("target server version {} is older than PostgreSQL 13", t.server_version_string()),
            "dbclone supports PostgreSQL 13 to 18 as source and target; upgrade that server (pg_upgrade), or "
            "copy that schema with pg_dump and pg_restore instead");
    refuse_superuser_kinds_for_plain_role(run);
    if (!run.catalog.reg_values_remapped.empty())
        run.result.summary.push_back(
            fmt::format("object-identifier values naming the schema's own objects load as the copy's: {}",
                        fmt::join(run.catalog.reg_values_remapped, ", ")));
    refuse_extensions_the_target_cannot_take(run);
    // An older target gets every object tried (and rolled back) before anything changes.
    rehearse_ddl_on_older_target(run);
    if (t.pooled()) {
        log::info(
            "the target is reached through a transaction-mode pooler: every statement runs in a "
            "transaction that carries its settings; the run's lock is held by a transaction of its own");
        run.lock_holder = lock_target_schema_pooled(req.target, req.target_schema);
    } else {
        lock_target_schema(t, req.target_schema);
    }
    choose_load_schema(run);
    refuse_rows_naming_schema(run);
}

void enter_load_schema(PgRun& run, Connection& conn) {
    // Connection::set: for every later transaction, also through a pooler.
    conn.set("search_path", quote_ident(run.load_schema) + ", pg_catalog");
    // As pg_restore does: function bodies refer to objects created later.
    conn.set("check_function_bodies", "off");
}

void create_staging_schema(PgRun& run) {
    auto& t = *run.target;
    if (run.into_existing) {
        t.exec(fmt::format("COMMENT ON SCHEMA {} IS {}", quote_ident(run.load_schema),
                           quote_literal("dbclone: load in progress from " + run.request.source_schema +
                                         "; incomplete until dbclone reports success")));
        return;
    }
    if (schema_exists(t, run.load_schema)) return;  // resumed run
    in_transaction(t, [&] {
        t.exec("CREATE SCHEMA " + quote_ident(run.load_schema));
        t.exec(fmt::format(
            "COMMENT ON SCHEMA {} IS {}", quote_ident(run.load_schema),
            quote_literal("dbclone: incomplete copy of schema " + run.request.source_schema + " into " +
                          run.request.target_schema + "; resume with --resume or drop this schema")));
    });
}

void apply_pre_data(PgRun& run, Journal& journal) {
    auto& t = *run.target;
    const auto intent = intent_key("create-objects");
    if (!run.into_existing && journal.done(intent) && !schema_is_empty(t, run.load_schema)) {
        // The transaction below committed in an earlier process that died
        // before journaling it (it is all or nothing, so the schema is either
        // empty or complete); done when every object is as the source has it.
        auto differences = pre_data_differences(run);
        if (differences.empty()) {
            log::info("create-objects: committed by an earlier process, all objects as in the source");
            return;
        }
        std::string list;
        for (std::size_t i = 0; i < differences.size() && i < 5; ++i)
            list += (i ? "; " : "") + differences[i];
        throw Error(ErrorKind::target_exists,
                    fmt::format("staging schema {} holds objects that differ from the source: {}{}",
                                quote_ident(run.load_schema), list, differences.size() > 5 ? "; ..." : ""),
                    "drop that schema and run the command again without --resume");
    }
    if (!journal.done(intent)) journal.mark_done(intent);
    enter_load_schema(run, t);
    // One transaction: a failure leaves no half-created set of objects, so a
    // resumed run can simply run this step again.
    in_transaction(t, [&] {
        for (const auto& e : run.catalog.entries) {
            if (e.section != Section::pre_data) continue;
            if (run.into_existing) {
                // Existing objects are kept; only missing ones are created.
                t.exec("SAVEPOINT entry");
                try {
                    exec_entry_sql(t, remapped_sql(run, e, run.load_schema));
                    t.exec("RELEASE SAVEPOINT entry");
                } catch (const Error& err) {
                    t.exec("ROLLBACK TO SAVEPOINT entry");
                    if (!sqlstate::is_duplicate_object(err)) throw;
                    log::debug("kept existing {}", entry_label(e));
                }
                continue;
            }
            with_context("creating " + entry_label(e),
                         [&] { exec_entry_sql(t, remapped_sql(run, e, run.load_schema)); });
        }
    });
    fault_point("create-objects:after-commit");
}

namespace {

std::string post_key(const DdlEntry& e) {
    return "post:" + entry_label(e);
}

// Runs one post-data entry (its intent journaled first); loading into an
// existing schema keeps what is already there. An entry whose intent an
// earlier process journaled may have committed before that process died:
// found with the source's definition, it is done.
// `create` runs the entry's statements (by default its `sql`).
void apply_post_entry(PgRun& run, Journal& journal, Connection& conn, const DdlEntry& e,
                      const std::function<void()>& create = {}) {
    const auto intent = intent_key(post_key(e));
    const bool tried_before = journal.done(intent);
    if (!tried_before) journal.mark_done(intent);
    try {
        if (create)
            create();
        else
            exec_entry_sql(conn, remapped_sql(run, e, run.load_schema));
    } catch (const Error& err) {
        if (!sqlstate::is_already_there(err)) throw Error(err).add_context("creating " + entry_label(e));
        if (run.into_existing) {
            log::debug("kept existing {}", entry_label(e));
        } else if (!tried_before) {
            throw Error(err).add_context("creating " + entry_label(e));
        } else if (entry_present_as_defined(run, e)) {
            log::info("{}: committed by an earlier process, as in the source", entry_label(e));
        } else {
            throw Error(
                ErrorKind::target_exists,
                fmt::format("{} exists in staging schema {} with another definition than the source's",
                            entry_label(e), quote_ident(run.load_schema)),
                "drop that schema and run the command again without --resume");
        }
    }
    fault_point("post-data:after-exec");
    journal.mark_done(post_key(e));
}

// Key constraints and indexes are the bulk of post-data time. Within one of
// these groups, entries of different tables are independent: each table's
// entries run in order on one worker, tables in parallel. Foreign keys stay
// sequential (they lock both tables; parallel ones can deadlock).
bool parallel_group(int group) {
    return group == detail::kKeyConstraint || group == detail::kChildKeyConstraint ||
           group == detail::kIndex || group == detail::kChildIndex;
}

// Entries built with their table during the copy (apply_table_post_data).
bool built_with_table(int group) {
    return group == detail::kKeyConstraint || group == detail::kIndex;
}

// Partitions and partitioned tables: their keys and indexes attach to each
// other across tables, so they wait for the post-data step.
bool in_partition_tree(const PgRun& run, const std::string& table) {
    for (const auto& e : run.catalog.entries)
        if (e.table == table && (e.group == detail::kChildKeyConstraint || e.group == detail::kChildIndex ||
                                 e.group == detail::kIndexAttach))
            return true;
    return false;
}

}  // namespace

void prepare_index_build_session(Connection& conn) {
    // Index builds sort: in memory they skip temporary files. A session
    // setting, allowed to any role; a server that gives more keeps it.
    // Through Connection::set, so that behind a transaction-mode pooler it is a
    // SET LOCAL repeated in each transaction rather than session state.
    auto smaller = conn.query(
        "SELECT (SELECT setting::bigint FROM pg_catalog.pg_settings WHERE name = 'maintenance_work_mem') < "
        "262144 AS smaller");
    if (smaller.get_bool(0, "smaller")) conn.set("maintenance_work_mem", "'256MB'");
}

bool apply_table_post_data(PgRun& run, Journal& journal, Connection& conn, const std::string& table,
                           const std::function<void()>& before_exclusive_lock) {
    if (run.into_existing || run.maybe_finalized || in_partition_tree(run, table)) return false;
    bool statistics_later = false;
    for (const auto& e : run.catalog.entries) {
        if (e.section != Section::post_data || e.table != table) continue;
        if (e.group == detail::kStatistics) statistics_later = true;
        if (!built_with_table(e.group) || !e.role.empty() || journal.done(post_key(e))) continue;
        if (!e.key_index_sql.empty()) {
            // One transaction: a key is there whole or not at all, for a
            // resumed run as for the one-statement form.
            apply_post_entry(run, journal, conn, e, [&] {
                in_transaction(conn, [&] {
                    exec_entry_sql(conn, remapped_sql(run, e.key_index_sql, run.load_schema));
                    fault_point("post-data:key-index-built");
                    before_exclusive_lock();
                    exec_entry_sql(conn, remapped_sql(run, e.key_attach_sql, run.load_schema));
                });
            });
            continue;
        }
        // CREATE INDEX takes a SHARE lock, which readers pass; a key or an
        // exclusion constraint in one statement an ACCESS EXCLUSIVE one.
        if (e.group != detail::kIndex) before_exclusive_lock();
        apply_post_entry(run, journal, conn, e);
    }
    return !statistics_later;
}

namespace {

// Every key and index of the table built during the copy: a foreign key
// referencing it finds its key.
bool table_keyed(const PgRun& run, Journal& journal, const std::string& table) {
    if (in_partition_tree(run, table)) return false;
    for (const auto& e : run.catalog.entries)
        if (e.section == Section::post_data && e.table == table && built_with_table(e.group) &&
            (!e.role.empty() || !journal.done(post_key(e))))
            return false;
    return true;
}

// Adds the foreign keys `wanted` picks among those not yet added or claimed,
// one at a time (run.foreign_key_mutex).
void add_foreign_keys_where(PgRun& run, Journal& journal, Connection& conn,
                            const std::function<bool(const DdlEntry&)>& wanted) {
    std::vector<const DdlEntry*> ready;
    {
        std::lock_guard lock(run.mutex);
        for (const auto& e : run.catalog.entries) {
            if (e.section != Section::post_data || e.group != detail::kForeignKey || e.references.empty() ||
                !e.role.empty())
                continue;
            if (!wanted(e)) continue;
            if (journal.done(post_key(e)) || !run.foreign_keys_claimed.insert(e.name).second) continue;
            ready.push_back(&e);
        }
    }
    for (const auto* e : ready) {
        std::lock_guard lock(run.foreign_key_mutex);
        apply_post_entry(run, journal, conn, *e);
    }
}

}  // namespace

void add_foreign_keys_of_loaded_table(PgRun& run, Journal& journal, Connection& conn,
                                      const std::string& table) {
    if (run.into_existing || run.maybe_finalized || in_partition_tree(run, table)) return;
    // Only this table's own keys (it is the referencing side), and only to
    // tables keyed already: their worker is done with them, while this
    // table's worker builds its indexes next, after these.
    add_foreign_keys_where(run, journal, conn, [&](const DdlEntry& e) {
        return e.table == table && e.references != table && run.keyed_tables.count(e.references);
    });
}

void add_ready_foreign_keys(PgRun& run, Journal& journal, Connection& conn, const std::string& table) {
    if (run.into_existing || run.maybe_finalized || !table_keyed(run, journal, table)) return;
    {
        std::lock_guard lock(run.mutex);
        run.keyed_tables.insert(table);
    }
    add_foreign_keys_where(run, journal, conn, [&](const DdlEntry& e) {
        return run.keyed_tables.count(e.table) && run.keyed_tables.count(e.references);
    });
}

void drop_early_foreign_keys(PgRun& run, Journal& journal) {
    if (run.into_existing || run.maybe_finalized) return;
    auto& t = *run.target;
    auto drops = t.query(
        "SELECT format('ALTER TABLE ONLY %I.%I DROP CONSTRAINT %I', n.nspname, c.relname, co.conname) "
        "FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND co.contype = 'f' AND co.conparentid = 0",
        {run.load_schema});
    for (int i = 0; i < drops.rows(); ++i) t.exec(drops.get(i, 0));
    // Dropped first: a process killed in between finds the journal still
    // saying done, and drops nothing again.
    const std::string foreign_keys = "post:FK CONSTRAINT ";
    journal.forget_prefix(foreign_keys);
    journal.forget_prefix(intent_key(foreign_keys));
}

void apply_post_data(PgRun& run, Journal& journal) {
    auto& t = *run.target;
    enter_load_schema(run, t);
    auto roles = target_roles(t);
    std::vector<const DdlEntry*> todo;
    for (const auto& e : run.catalog.entries) {
        if (e.section != Section::post_data || journal.done(post_key(e))) continue;
        if (!e.role.empty() && !roles.count(e.role)) {
            run.result.warnings.push_back(fmt::format("skipped {}: role {} does not exist on the target",
                                                      entry_label(e), quote_ident(e.role)));
            journal.mark_done(post_key(e));
            continue;
        }
        todo.push_back(&e);
    }
    WorkerConnections workers(run.request.jobs, [&] {
        auto c = std::make_unique<Connection>(run.request.target, "target");
        enter_load_schema(run, *c);
        prepare_index_build_session(*c);
        return c;
    });
    for (std::size_t i = 0; i < todo.size();) {
        const int group = todo[i]->group;
        std::size_t end = i;
        while (end < todo.size() && todo[end]->group == group) ++end;
        if (!parallel_group(group)) {
            for (; i < end; ++i) apply_post_entry(run, journal, t, *todo[i]);
            continue;
        }
        std::map<std::string, std::vector<const DdlEntry*>> per_table;
        for (; i < end; ++i) per_table[todo[i]->table].push_back(todo[i]);
        std::vector<Job> jobs;
        jobs.reserve(per_table.size());
        for (auto& [table, entries] : per_table)
            jobs.push_back([&, list = &entries](std::size_t worker) {
                for (const auto* e : *list) apply_post_entry(run, journal, workers.get(worker), *e);
            });
        run_jobs(run.request.jobs, std::move(jobs));
    }
}

void restore_sequences(PgRun& run) {
    auto& t = *run.target;
    enter_load_schema(run, t);
    for (const auto& s : run.catalog.sequences) {
        with_context("setting sequence " + quote_ident(s.name), [&] {
            t.query("SELECT pg_catalog.setval($1::regclass, $2::bigint, $3::boolean)",
                    {qualify(run.load_schema, s.name), s.last_value,
                     std::string(s.is_called ? "true" : "false")});
        });
    }
}

void analyze_tables(PgRun& run) {
    auto& t = *run.target;
    for (const auto& table : run.catalog.tables)
        if (!run.analyzed.count(table.name))
            with_context("analyzing " + quote_ident(table.name),
                         [&] { t.exec("ANALYZE " + qualify(run.load_schema, table.name)); });
}

void finalize_schema(PgRun& run, Journal& journal) {
    auto& t = *run.target;
    const auto& dst = run.request.target_schema;
    const auto intent = intent_key("finalize");
    if (run.maybe_finalized) {
        if (!journal.done(intent)) throw target_not_empty(dst);
        // The rename committed; the process died before journaling it.
        log::info("finalize: committed by an earlier process");
        return;
    }
    if (!journal.done(intent)) journal.mark_done(intent);
    auto roles = target_roles(t);
    in_transaction(t, [&] {
        if (!run.into_existing)
            t.exec(
                fmt::format("ALTER SCHEMA {} RENAME TO {}", quote_ident(run.load_schema), quote_ident(dst)));
        t.exec(fmt::format("COMMENT ON SCHEMA {} IS {}", quote_ident(dst),
                           run.catalog.comment.empty() ? "NULL" : quote_literal(run.catalog.comment)));
        for (const auto& g : run.catalog.schema_grants) {
            if (g.grantee != "PUBLIC" && !roles.count(g.grantee)) {
                run.result.warnings.push_back(
                    fmt::format("skipped GRANT {} ON SCHEMA: role {} does not exist on the target",
                                g.privilege, quote_ident(g.grantee)));
                continue;
            }
            t.exec(grant_sql(g.privilege, "SCHEMA " + quote_ident(dst), g.grantee, g.grantable));
        }
        // Same transaction: the schema never has its final name with bodies
        // that still name the staging schema.
        if (!run.into_existing) rewrite_text_bodies(run, dst);
        hand_objects_to_owner(run, dst);
    });
    fault_point("finalize:after-commit");
    run.load_schema = dst;
}

std::string staging_schema_name(const std::string& target_schema) {
    // Deterministic, so a resumed run finds it; short, within NAMEDATALEN.
    return fmt::format("dbclone_incomplete_{:016x}", XXH3_64bits(target_schema.data(), target_schema.size()));
}

}  // namespace dbclone::pg
