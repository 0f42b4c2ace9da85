// `dbclone dumps` for a PostgreSQL dump-set store (--store DIR): the sets
// listed, or with --prune the complete ones older than --older-than under
// one retention shown (dry run) or, with --yes, deleted. The rules are the
// Oracle engine's too (dumpset/housekeeping.h); no database is read.
#include <fmt/format.h>

#include <memory>

#include "core/error.h"
#include "dumpset/housekeeping.h"
#include "dumpset/layout.h"
#include "engine/postgres/commands/commands.h"

namespace dbclone::pg {

namespace {

std::string set_line(const dumpset::ListedSet& s, long age) {
    return fmt::format("{} files, {}, {}", s.files, dumpset::size_text(s.bytes), dumpset::age_text(age));
}

}  // namespace

// Report lines: a set listed or deleted is `info` (always printed: a
// listing that only -v shows would list nothing), an incomplete set `warn`,
// a set that could not be deleted `fail` (exit 11).
Plan build_dumps_plan(const Request& request, RunResult& result) {
    const auto rule =
        dumpset::prune_rule(request.prune, request.older_than, request.prune_yes, request.allow_permanent,
                            request.any_retention ? std::string() : request.retention);
    if (!request.source.empty())
        result.warnings.push_back(
            "dumps reads the store directly: the database given (DATABASE or DBCLONE_SOURCE) is not used");
    std::shared_ptr<Store> store = open_store(request.store_url);
    const std::string schema = request.source_schema;
    Plan plan("dumps");
    if (!request.prune) {
        plan.add(
            {"dumps", "list the dump sets in " + store->display_url(),
             "read only; one line per dump set: files, size, age, manifest.json present (complete) or not",
             [store, schema, retention = request.any_retention ? std::string() : request.retention,
              &result](StepContext&) {
                 result.report.set_title("dump sets in " + store->display_url());
                 const auto now = dumpset::utc_timestamp_now();
                 const auto sets = dumpset::list_sets(*store, schema, retention);
                 for (const auto& s : sets)
                     result.report.add(
                         "dump sets", s.dir + "/", s.complete ? CheckStatus::info : CheckStatus::warn,
                         set_line(s, dumpset::age_hours(s.timestamp, now)) +
                             (s.complete ? ""
                                         : "; no manifest.json: its export is running or stopped "
                                           "(dbclone export ... --resume finishes it)"));
                 result.summary.push_back(fmt::format("{} dump sets", sets.size()));
             }});
        return plan;
    }
    plan.add(
        {"prune",
         fmt::format("{} the complete dump sets under {}/ older than {}h",
                     rule.yes ? "delete" : "show (dry run)", rule.retention, rule.older_than_hours),
         "per set: manifest.json first (no import takes it from then on), then its other files; a set "
         "without "
         "manifest.json (being written, or left for --resume) is never deleted; without --yes nothing is",
         [store, schema, rule, &result](StepContext&) {
             result.report.set_title(std::string(rule.yes ? "pruned" : "would prune (dry run)") + " in " +
                                     store->display_url() + " " + rule.retention + "/");
             const auto now = dumpset::utc_timestamp_now();
             int sets = 0;
             std::uint64_t bytes = 0;
             for (const auto& s : dumpset::list_sets(*store, schema, rule.retention)) {
                 if (!dumpset::due(rule, s.retention, s.timestamp, now)) continue;
                 const long age = dumpset::age_hours(s.timestamp, now);
                 if (!s.complete) {
                     result.report.add("prune", s.dir + "/", CheckStatus::info,
                                       "kept: no manifest.json (its export is running, or stopped and "
                                       "resumable); " +
                                           set_line(s, age));
                     continue;
                 }
                 ++sets;
                 bytes += s.bytes;
                 if (!rule.yes) {
                     result.report.add("prune", s.dir + "/", CheckStatus::info,
                                       "would delete " + set_line(s, age));
                     continue;
                 }
                 try {
                     dumpset::delete_set(*store, s);
                     result.report.add("prune", s.dir + "/", CheckStatus::info,
                                       "deleted " + set_line(s, age));
                 } catch (const Error& e) {
                     result.report.add("prune", s.dir + "/", CheckStatus::fail,
                                       "not all deleted: " + e.message());
                 }
             }
             result.summary.push_back(
                 rule.yes
                     ? fmt::format("{} dump sets older than {}h deleted ({})", sets, rule.older_than_hours,
                                   dumpset::size_text(bytes))
                     : fmt::format("dry run: {} dump sets older than {}h would be deleted ({}); add --yes "
                                   "to delete them",
                                   sets, rule.older_than_hours, dumpset::size_text(bytes)));
         }});
    return plan;
}

}  // namespace dbclone::pg
