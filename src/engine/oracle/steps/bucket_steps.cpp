// The bucket as a store of dump sets (runbook §6 "one dump -> many clones"):
// `import` finds a finished set and reads its export log back (the dump's own
// rows per table, what the import is verified against); `dumps` lists the
// sets and prunes old ones - dry run unless --yes, one retention at a time
// (temp unless named; permanent only with --allow-permanent).
#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "dumpset/housekeeping.h"
#include "engine/oracle/datapump_log.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/dump_sets.h"
#include "engine/oracle/steps/oracle_steps.h"

namespace dbclone::oracle {

using dumpset::age_hours;
using dumpset::age_text;
using dumpset::size_text;

Step find_dump_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "find-dump";
    s.title = "object-storage credential " + o.credential + " on the target; choose the dump set in " +
              o.bucket_uri + " (" +
              (o.dump.empty() ? std::string("the newest finished one") : "--dump " + o.dump) +
              ") and read its export log: its verdict and rows per table";
    s.detail = render({create_credential(o, "<DBCLONE_OCI_USER>", "<secret>"), list_objects(o),
                       fetch_object(o, o.bucket_uri + dump_prefix_shown(o) + "export.log")},
                      "before anything is written, so that a set that cannot be chosen stops the run before "
                      "it has done anything (the preflight's choice when it ran); a set without export.log "
                      "never finished its export and is not chosen; the "
                      "choice is journaled, so a resumed run keeps it");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        // Journaled only once its log has been read and accepted: a run
        // stopped here has recorded nothing and starts over cleanly.
        std::string prefix;
        if (auto pinned = ctx.journal.get("export.prefix"); pinned && pinned->is_string()) {
            prefix = pinned->get<std::string>();
        } else {
            ensure_credential(run, Side::target, ctx.progress);
            // The set the preflight checked, when it ran; else chosen now.
            auto checked = ctx.journal.get("preflight.prefix");
            prefix = checked && checked->is_string()
                         ? checked->get<std::string>()
                         : choose_dump_set(list_dump_sets(run->target(), opt), opt).prefix();
        }
        std::string uri = opt.bucket_uri + prefix + "export.log";
        DatapumpLog log = parse_datapump_log(object_text(run->target(), opt, uri));
        if (!log.success) {
            std::string errors;
            for (const auto& e : log.errors) errors += "\n  " + e;
            throw Error(ErrorKind::remote_job,
                        "the export of dump set " + prefix +
                            " did not complete successfully: " + log.last_line + errors,
                        "choose another set with --dump (dbclone dumps lists them); the log is at " + uri);
        }
        nlohmann::json rows = nlohmann::json::object();
        for (const auto& [table, n] : log.rows) rows[table] = n;
        ctx.journal.set("export.rows", rows);
        set_state(ctx.journal, "export.prefix", prefix);
        set_state(ctx.journal, "export.timestamp", prefix_timestamp(prefix));
        run->result().summary.push_back("dump set: " + opt.bucket_uri + prefix);
        ctx.progress.note(fmt::format("dump set {}: {} tables in its export log", prefix, log.rows.size()));
    };
    return s;
}

Step dumps_list_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "dumps";
    s.title = "list the dump sets in " + o.bucket_uri;
    // Lines are info (printed without -v: a listing is its lines).
    s.detail = render({list_objects(o)}, "read only; one line per dump set: files, size, age, export.log");
    s.run = [run](StepContext&) {
        const auto& opt = run->options();
        Report& report = run->result().report;
        report.set_title("dump sets in " + opt.bucket_uri);
        const std::string now = utc_timestamp();
        auto sets = list_dump_sets(run->source(), opt);
        for (const auto& d : sets)
            report.add("dump sets", d.prefix(), d.has_export_log ? CheckStatus::info : CheckStatus::warn,
                       fmt::format("{} files, {}, {}{}", d.files.size(), size_text(d.bytes),
                                   age_text(age_hours(d.timestamp, now)),
                                   d.has_export_log ? "" : "; no export.log: its export never finished"));
        run->result().summary.push_back(fmt::format("{} dump sets", sets.size()));
    };
    return s;
}

Step dumps_prune_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "prune";
    s.title = fmt::format("{} the dump sets under {}/ older than {}h",
                          o.prune_yes ? "delete" : "show (dry run)", o.retention, o.older_than_hours);
    s.detail = render(
        {list_objects(o),
         delete_object(o, o.bucket_uri + o.retention + "/<adb>/schema/<schema>/<ts>/<file>")},
        "per object of each set older than --older-than, its export.log first (a half-pruned set is never "
        "taken for a finished one); a set without export.log only once older than 7 days (its export may "
        "still run); without --yes nothing is deleted");
    s.run = [run](StepContext&) {
        const auto& opt = run->options();
        Report& report = run->result().report;
        report.set_title(std::string(opt.prune_yes ? "pruned" : "would prune (dry run)") + " in " +
                         opt.bucket_uri + opt.retention + "/");
        const std::string now = utc_timestamp();
        int sets = 0;
        std::int64_t bytes = 0;
        const dumpset::PruneRule rule{opt.retention, opt.older_than_hours, opt.prune_yes};
        for (auto d : list_dump_sets(run->source(), opt)) {
            // The listing may be wider than the one retention pruned.
            if (!dumpset::due(rule, d.retention, d.timestamp, now)) continue;
            const long age = age_hours(d.timestamp, now);
            // A set without export.log may be an export still running: a
            // Data Pump job runs up to --job-timeout (at most 7 days) after
            // the set's timestamp. Only past that is it surely abandoned.
            if (!d.has_export_log && age < kMaxJobTimeoutSeconds / 3600) {
                report.add("prune", d.prefix(), CheckStatus::warn,
                           fmt::format("kept: no export.log and {}: its export may still be running (an "
                                       "unfinished set is pruned once older than {}h)",
                                       age_text(age), kMaxJobTimeoutSeconds / 3600));
                continue;
            }
            ++sets;
            bytes += d.bytes;
            if (!opt.prune_yes) {
                report.add("prune", d.prefix(), CheckStatus::info,
                           fmt::format("would delete {} files, {}, {}", d.files.size(), size_text(d.bytes),
                                       age_text(age)));
                continue;
            }
            std::stable_partition(d.files.begin(), d.files.end(),
                                  [](const std::string& f) { return f == "export.log"; });
            std::string failed;
            for (const auto& f : d.files) {
                try {
                    run->source().execute(delete_object(opt, opt.bucket_uri + d.prefix() + f));
                } catch (const OracleSqlError& e) {
                    failed = f + ": " + e.message();
                    break;  // the rest of this set stays; the next run sees it again
                }
            }
            report.add("prune", d.prefix(), failed.empty() ? CheckStatus::info : CheckStatus::fail,
                       failed.empty() ? fmt::format("deleted {} files, {}, {}", d.files.size(),
                                                    size_text(d.bytes), age_text(age))
                                      : "not all deleted: " + failed);
        }
        run->result().summary.push_back(
            opt.prune_yes
                ? fmt::format("{} dump sets older than {}h deleted ({})", sets, opt.older_than_hours,
                              size_text(bytes))
                : fmt::format("dry run: {} dump sets older than {}h would be deleted ({}); add --yes "
                              "to delete them",
                              sets, opt.older_than_hours, size_text(bytes)));
    };
    return s;
}

}  // namespace dbclone::oracle
