// Runbook §8: what dbclone does around the data-only import. The runbook's
// DATA_OPTIONS=2 does not disable referential constraints (bit 2 is
// XMLTYPE_CLOB), and TRUNCATE fails on a table an enabled foreign key points
// at; so the foreign keys that reference the refreshed tables, and the
// triggers that are enabled, are disabled before the load and re-enabled
// after it - exactly those, recorded in the journal (§8.4). Sequences are
// moved forward to the source's last_number plus a margin, never back (§8.3).
#include <fmt/format.h>

#include <map>

#include "core/error.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/oracle_steps.h"

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
        not_null += " AND c." + cc + " IS NOT NULL";
        join += (join.empty() ? "" : " AND ") + ("p." + pc + " = c." + cc);
    }
    if (cols.empty())
        throw Error(ErrorKind::not_found, "no columns found for constraint " + owner + "." + name);
    return {"SELECT COUNT(*) AS n FROM " + quote_qualified(owner, table) + " c WHERE 1 = 1" + not_null +
                " AND NOT EXISTS (SELECT 1 FROM " + quote_qualified(r_owner, r_table) + " p WHERE " + join +
                ")",
            {}};
}

}  // namespace

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
                      "one ALTER per listed constraint and trigger; the lists are journaled so that exactly "
                      "these are re-enabled");
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
        for (const auto& fk : fks)
            db.execute(alter_constraint(fk["owner"], fk["table"], fk["constraint"], "DISABLE"));
        for (const auto& t : triggers) db.execute(alter_trigger(t["owner"], t["trigger"], "DISABLE"));
        ctx.progress.note(
            fmt::format("disabled {} foreign keys and {} triggers", fks.size(), triggers.size()));
    };
    return s;
}

Step refresh_enable_step(const RunPtr& run) {
    Step s;
    s.id = "refresh-enable";
    s.title = "re-enable the same triggers, and the foreign keys WITH VALIDATE (rows that fail are reported)";
    s.detail =
        render({alter_trigger("<owner>", "<trigger>", "ENABLE"),
                alter_constraint("<owner>", "<table>", "<constraint>", "ENABLE VALIDATE")},
               "for each trigger and constraint the refresh-disable step recorded; on ORA-02298 the orphan "
               "rows are counted and the constraint stays disabled");
    s.run = [run](StepContext& ctx) {
        auto& db = run->target();
        auto triggers = ctx.journal.get("refresh.triggers").value_or(nlohmann::json::array());
        for (const auto& t : triggers) db.execute(alter_trigger(t["owner"], t["trigger"], "ENABLE"));
        auto fks = ctx.journal.get("refresh.fks").value_or(nlohmann::json::array());
        for (const auto& fk : fks) {
            std::string name = fk["owner"].get<std::string>() + "." + fk["constraint"].get<std::string>();
            try {
                db.execute(alter_constraint(fk["owner"], fk["table"], fk["constraint"], "ENABLE VALIDATE"));
                run->result().report.add("constraints", name, CheckStatus::pass, "re-enabled and validated");
            } catch (const OracleSqlError& e) {
                if (e.code() != 2298) throw;
                auto rows = db.query(orphan_count(db, fk));
                double n = rows.empty() ? 0 : number(rows[0], "n");
                std::string evidence = fmt::format(
                    "{:.0f} rows of {}.{} have no parent in {}.{} after the refresh; the constraint stays "
                    "DISABLED",
                    n, fk["owner"].get<std::string>(), fk["table"].get<std::string>(),
                    fk["r_owner"].get<std::string>(), fk["r_table"].get<std::string>());
                run->result().report.add("constraints", name, CheckStatus::fail, evidence);
                run->result().warnings.push_back(name + ": " + evidence);
            }
        }
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
    s.detail = render({query("sequences.sql", {in("schema", o.source_schema)}),
                       query("sequences.sql", {in("schema", o.target_schema)}),
                       {"ALTER SEQUENCE " + quote_qualified(o.target_schema, "<sequence>") +
                            " RESTART START WITH <source last_number + margin>",
                        {}}},
                      "only where that is above the target's last_number; descending sequences are reported");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        std::map<std::string, double> target;
        for (const auto& r : run->target().query(query("sequences.sql", {in("schema", opt.target_schema)})))
            target[text(r, "sequence_name")] = number(r, "last_number");
        int moved = 0;
        for (const auto& r : run->source().query(query("sequences.sql", {in("schema", opt.source_schema)}))) {
            std::string name = text(r, "sequence_name");
            auto it = target.find(name);
            if (it == target.end()) continue;
            if (number(r, "increment_by") < 0) {
                run->result().warnings.push_back("descending sequence " + name + " left as it is");
                continue;
            }
            long long want = static_cast<long long>(number(r, "last_number")) + opt.sequence_margin;
            if (static_cast<double>(want) <= it->second) continue;
            run->target().execute({"ALTER SEQUENCE " + quote_qualified(opt.target_schema, name) +
                                       " RESTART START WITH " + std::to_string(want),
                                   {}});
            ++moved;
        }
        ctx.progress.note(fmt::format("{} sequences moved forward", moved));
    };
    return s;
}

}  // namespace dbclone::oracle
