// Runbook §8: what dbclone does around the data-only import. The runbook's
// DATA_OPTIONS=2 does not disable referential constraints (bit 2 is
// XMLTYPE_CLOB), and TRUNCATE fails on a table an enabled foreign key points
// at; so the foreign keys that reference the refreshed tables, and the
// triggers that are enabled, are disabled before the load and re-enabled
// after it - exactly those, to exactly their prior state (VALIDATED or NOT
// VALIDATED), recorded in the journal before the first ALTER (§8.4). A failed
// step in between restores them before the error goes on; a resumed run
// disables them again. Sequences are moved forward to the source's
// last_number plus a margin, never back, in exact decimal (§8.3); identity
// columns restart past their column's maximum (START WITH LIMIT VALUE).
#include <fmt/format.h>

#include <map>

#include "core/error.h"
#include "core/journal.h"
#include "core/log.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"
#include "engine/oracle/versions.h"

namespace dbclone::oracle {

namespace {

Statement alter_constraint(const std::string& owner, const std::string& table, const std::string& name,
                           const std::string& action) {
    return {
        "ALTER TABLE " + quote_qualified(owner, table) + " " + action + " CONSTRAINT " + quote_ident(name),
        {}};
}

Statement alter_trigger(const std::string& owner, const std::string& name, const std::string& action) {
    return {"ALTER TRIGGER " + quote_qualified(owner, name) + " " + action, {}};
}

// Rows of the child table whose key has no parent (FK semantics: a key with
// a NULL column is not checked).
Statement orphan_count(OrdsClient& db, const nlohmann::json& fk) {
    std::string owner = fk["owner"], table = fk["table"], name = fk["constraint"];
    std::string r_owner = fk["r_owner"], r_table = fk["r_table"];
    auto cols = db.query(query("fk_columns.sql", {in("owner", owner), in("constraint_name", name)}));
    std::string not_null, join;
    for (const auto& c : cols) {
        std::string cc = quote_ident(text(c, "child_column")), pc = quote_ident(text(c, "parent_column"));
        not_null += fmt::format(" AND c.{} IS NOT NULL", cc);
        join += fmt::format("{}p.{} = c.{}", join.empty() ? "" : " AND ", pc, cc);
    }
    if (cols.empty())
        throw Error(ErrorKind::not_found, "no columns found for constraint " + owner + "." + name);
    return {"SELECT COUNT(*) AS n FROM " + quote_qualified(owner, table) + " c WHERE 1 = 1" + not_null +
                " AND NOT EXISTS (SELECT 1 FROM " + quote_qualified(r_owner, r_table) + " p WHERE " + join +
                ")",
            {}};
}

void disable_all(OracleRun& run, const nlohmann::json& fks, const nlohmann::json& triggers) {
    auto& db = run.target();
    for (const auto& fk : fks)
        db.execute(alter_constraint(fk["owner"], fk["table"], fk["constraint"], "DISABLE"));
    for (const auto& t : triggers) db.execute(alter_trigger(t["owner"], t["trigger"], "DISABLE"));
}

// The PL/SQL a Scheduler job runs for one ALTER (jobs take no binds; the
// statement's names are validated and quoted already).
std::string validate_action(const std::string& alter) {
    return "BEGIN EXECUTE IMMEDIATE " + sql_literal(alter) + "; END;";
}

// The ALTER that gives a foreign key back its journaled state.
std::string enable_action(const nlohmann::json& fk) {
    return fk.value("validated", std::string("VALIDATED")) == "VALIDATED" ? "ENABLE VALIDATE"
                                                                          : "ENABLE NOVALIDATE";
}

// The journal key of the Scheduler job that validates the i-th foreign key.
std::string validate_key(std::size_t i) {
    return "refresh.validate." + std::to_string(i);
}

// Forgets the validation jobs of an earlier restore, so that the next one
// (after a resumed run disabled the keys again) validates anew.
void forget_validate_jobs(Journal& journal, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
        if (journal.get(validate_key(i))) journal.set(validate_key(i), nullptr);
}

// Re-enables one foreign key. ENABLE VALIDATE reads the whole child table,
// which on a big schema outlasts any REST request: it runs as a Scheduler
// job that is polled (its name journaled first, so a resumed run waits for
// the same job). ENABLE NOVALIDATE touches only the dictionary and is sent
// as it is. Returns the ORA- number that refused it, 0 when it is enabled.
int enable_foreign_key(OracleRun& run, StepContext& ctx, const nlohmann::json& fk, std::size_t index) {
    std::string action = enable_action(fk);
    Statement alter = alter_constraint(fk["owner"], fk["table"], fk["constraint"], action);
    if (action != "ENABLE VALIDATE") {
        try {
            run.target().execute(alter);
        } catch (const OracleSqlError& e) {
            return e.code();
        }
        return 0;
    }
    SchedulerOutcome out = run_scheduler_job_outcome(run, run.target(), ctx, validate_key(index),
                                                     validate_action(alter.text), std::to_string(index));
    if (out.succeeded()) return 0;
    return out.error_code != 0 ? out.error_code : -1;
}

// Restores every journaled trigger and foreign key. With `report`, results go
// to the run's report (the normal path); without, failures are warnings only
// (the failure path, which must not hide the error that brought it there).
void restore_all(OracleRun& run, StepContext& ctx, bool report) {
    auto& db = run.target();
    Journal& journal = ctx.journal;
    auto triggers = journal.get("refresh.triggers").value_or(nlohmann::json::array());
    auto fks = journal.get("refresh.fks").value_or(nlohmann::json::array());
    for (const auto& t : triggers) {
        try {
            db.execute(alter_trigger(t["owner"], t["trigger"], "ENABLE"));
        } catch (const OracleSqlError& e) {
            if (report) throw;
            run.result().warnings.push_back("trigger " + t["owner"].get<std::string>() + "." +
                                            t["trigger"].get<std::string>() +
                                            " not re-enabled: " + e.message());
        }
    }
    for (std::size_t i = 0; i < fks.size(); ++i) {
        const auto& fk = fks[i];
        std::string name = fk["owner"].get<std::string>() + "." + fk["constraint"].get<std::string>();
        std::string action = enable_action(fk);
        int code = 0;
        try {
            code = enable_foreign_key(run, ctx, fk, i);
        } catch (const Error& e) {
            if (report) throw;
            run.result().warnings.push_back(name + " not re-enabled: " + e.one_line());
            continue;
        }
        if (code == 0) {
            if (report)
                run.result().report.add("constraints", name, CheckStatus::pass,
                                        action == "ENABLE VALIDATE" ? "re-enabled and validated"
                                                                    : "re-enabled NOVALIDATE, as it was");
            continue;
        }
        if (code != 2298 && report)
            throw Error(ErrorKind::sql, fmt::format("{} {} failed with ORA-{:05d}", name, action, code),
                        "the constraint stays disabled; see dba_scheduler_job_run_details on the target");
        std::string evidence;
        if (code == 2298) {
            auto rows = db.query(orphan_count(db, fk));
            evidence = fmt::format(
                "{:.0f} rows of {}.{} have no parent in {}.{} after the refresh; the constraint stays "
                "DISABLED",
                rows.empty() ? 0 : number(rows[0], "n"), fk["owner"].get<std::string>(),
                fk["table"].get<std::string>(), fk["r_owner"].get<std::string>(),
                fk["r_table"].get<std::string>());
        } else {
            evidence = fmt::format("not re-enabled: ORA-{:05d}", code);
        }
        if (report) run.result().report.add("constraints", name, CheckStatus::fail, evidence);
        run.result().warnings.push_back(name + ": " + evidence);
    }
    forget_validate_jobs(journal, fks.size());
    journal.set("refresh.state", "restored");
}

std::string refresh_state(const Journal& journal) {
    auto v = journal.get("refresh.state");
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace

void ensure_disabled(OracleRun& run, Journal& journal) {
    if (refresh_state(journal) != "restored") return;
    journal.set("refresh.state", "disabled");
    forget_validate_jobs(journal, journal.get("refresh.fks").value_or(nlohmann::json::array()).size());
    disable_all(run, journal.get("refresh.fks").value_or(nlohmann::json::array()),
                journal.get("refresh.triggers").value_or(nlohmann::json::array()));
}

Step restore_on_failure(const RunPtr& run, Step step) {
    auto inner = step.run;
    step.run = [run, inner](StepContext& ctx) {
        try {
            inner(ctx);
        } catch (...) {
            if (refresh_state(ctx.journal) == "disabled") {
                try {
                    restore_all(*run, ctx, false);
                    log::warn("the refresh failed; the foreign keys and triggers it disabled were restored");
                } catch (const std::exception& e) {
                    log::warn("restoring the foreign keys and triggers failed too: {}", e.what());
                }
            }
            throw;
        }
    };
    return step;
}

Step refresh_disable_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "refresh-disable";
    s.title =
        "disable the foreign keys that reference " + o.target_schema + " tables and the enabled triggers";
    s.detail = render({query("foreign_keys_in.sql", {in("schema", o.target_schema)}),
                       query("enabled_triggers.sql", {in("schema", o.target_schema)}),
                       alter_constraint("<owner>", "<table>", "<constraint>", "DISABLE"),
                       alter_trigger("<owner>", "<trigger>", "DISABLE")},
                      "one ALTER per listed constraint and trigger; the lists and each FK's VALIDATED state "
                      "are journaled first so that exactly these are restored, exactly as they were");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto& db = run->target();
        // On resume the first list is kept: by then they are disabled already.
        if (!ctx.journal.get("refresh.fks")) {
            nlohmann::json fks = nlohmann::json::array();
            for (const auto& r : db.query(query("foreign_keys_in.sql", {in("schema", opt.target_schema)})))
                fks.push_back({{"owner", text(r, "owner")},
                               {"table", text(r, "table_name")},
                               {"constraint", text(r, "constraint_name")},
                               {"validated", text(r, "validated")},
                               {"r_owner", text(r, "r_owner")},
                               {"r_table", text(r, "r_table_name")}});
            nlohmann::json triggers = nlohmann::json::array();
            for (const auto& r : db.query(query("enabled_triggers.sql", {in("schema", opt.target_schema)})))
                triggers.push_back({{"owner", text(r, "owner")}, {"trigger", text(r, "trigger_name")}});
            ctx.journal.set("refresh.fks", fks);
            ctx.journal.set("refresh.triggers", triggers);
        }
        auto fks = *ctx.journal.get("refresh.fks");
        auto triggers = *ctx.journal.get("refresh.triggers");
        ctx.journal.set("refresh.state", "disabled");
        disable_all(*run, fks, triggers);
        ctx.progress.note(
            fmt::format("disabled {} foreign keys and {} triggers", fks.size(), triggers.size()));
    };
    return restore_on_failure(run, s);
}

Step refresh_enable_step(const RunPtr& run) {
    Step s;
    s.id = "refresh-enable";
    s.title = "restore the same triggers and foreign keys as they were (VALIDATE or NOVALIDATE)";
    s.detail = render(
        {alter_trigger("<owner>", "<trigger>", "ENABLE"),
         scheduler_job(
             "DBCLONE_REFRESH_<YYYYMMDDHH24MISS>_<n>_<i>",
             validate_action(alter_constraint("<owner>", "<table>", "<constraint>", "ENABLE VALIDATE").text)),
         query("scheduler_job_state.sql", {in("job_name", "DBCLONE_REFRESH_<YYYYMMDDHH24MISS>_<n>_<i>")}),
         alter_constraint("<owner>", "<table>", "<constraint>", "ENABLE NOVALIDATE")},
        "for each trigger and constraint the refresh-disable step recorded; ENABLE VALIDATE runs as a "
        "Scheduler job per constraint, polled until it ends (job names journaled first), NOVALIDATE "
        "where it was NOT VALIDATED; on ORA-02298 the orphan rows are counted and the constraint "
        "stays disabled");
    s.run = [run](StepContext& ctx) {
        auto fks = ctx.journal.get("refresh.fks").value_or(nlohmann::json::array());
        auto triggers = ctx.journal.get("refresh.triggers").value_or(nlohmann::json::array());
        restore_all(*run, ctx, true);
        ctx.progress.note(
            fmt::format("re-enabled {} triggers, {} foreign keys checked", triggers.size(), fks.size()));
    };
    return s;
}

Step sequences_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "sequences";
    s.title = fmt::format("move sequences of {} forward to the source's last_number + {} (never back)",
                          o.target_schema, o.sequence_margin);
    s.detail =
        render({query("sequences.sql", {in("schema", o.source_schema)}),
                query("sequences.sql", {in("schema", o.target_schema)}),
                {"ALTER SEQUENCE " + quote_qualified(o.target_schema, "<sequence>") +
                     " RESTART START WITH <source last_number + margin>",
                 {}}},
               "only where that is above the target's last_number; values are exact decimals; identity "
               "sequences (ISEQ$$_) are left to the identity step; descending sequences are reported");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        std::map<std::string, std::string> target;
        for (const auto& r : run->target().query(query("sequences.sql", {in("schema", opt.target_schema)})))
            target[text(r, "sequence_name")] = text(r, "last_number");
        int moved = 0;
        for (const auto& r : run->source().query(query("sequences.sql", {in("schema", opt.source_schema)}))) {
            std::string name = text(r, "sequence_name");
            auto it = target.find(name);
            if (it == target.end()) continue;
            if (number(r, "increment_by") < 0) {
                run->result().warnings.push_back("descending sequence " + name + " left as it is");
                continue;
            }
            std::string want = decimal_add(text(r, "last_number"), opt.sequence_margin);
            if (!decimal_less(it->second, want)) continue;
            run->target().execute(sequence_restart(opt.target_schema, name, want));
            ++moved;
        }
        ctx.progress.note(fmt::format("{} sequences moved forward", moved));
    };
    return s;
}

Step identity_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "identity-columns";
    s.title = "restart the identity columns of " + o.target_schema + " past their loaded rows";
    s.detail =
        render({query("identity_columns.sql", {in("schema", o.target_schema)}),
                identity_resync(o.target_schema, "<table>", "<column>", "ALWAYS", false)},
               "one ALTER per identity column, keeping ALWAYS / BY DEFAULT [ON NULL]; START WITH LIMIT "
               "VALUE moves its ISEQ$$_ sequence past the column's maximum");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        auto cols = run->target().query(query("identity_columns.sql", {in("schema", opt.target_schema)}));
        for (const auto& c : cols)
            run->target().execute(identity_resync(opt.target_schema, text(c, "table_name"),
                                                  text(c, "column_name"), text(c, "generation_type"),
                                                  text(c, "default_on_null") == "YES"));
        ctx.progress.note(fmt::format("{} identity columns restarted", cols.size()));
    };
    return s;
}

}  // namespace dbclone::oracle
