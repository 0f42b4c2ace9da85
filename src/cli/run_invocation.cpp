#include "cli/run_invocation.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstdio>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "core/fault.h"
#include "core/journal.h"
#include "core/pipeline.h"
#include "core/progress.h"
#include "core/redact.h"
#include "core/run_lock.h"
#include "engine/engine.h"

namespace dbclone {

namespace {

bool is_https(const std::string& s) {
    return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

nlohmann::json journal_header(const std::string& engine, const Request& r) {
    // What identifies "the same run" for --resume. Never secrets: redacted.
    return {{"engine", engine},
            {"command", std::string(command_name(r.command))},
            {"source", redact(r.source)},
            {"target", redact(r.target)},
            {"source_schema", r.source_schema},
            {"target_schema", r.target_schema},
            {"store", redact(r.store_url)},
            {"dump", r.dump_path},
            {"table_exists", static_cast<int>(r.table_exists)}};
}

// The settings that shape a run's result beyond its identity: a resume with
// other values would finish something neither describes, so the journal
// keeps them and a resume must repeat them (core/journal.h). Named as the
// options are spelled.
nlohmann::json journal_settings(const Request& r) {
    nlohmann::json s = {{"--no-rewrite-bodies", !r.rewrite_bodies},
                        {"--allow-mixed-snapshot", r.allow_mixed_snapshot}};
    if (r.command == Command::export_) {
        s["--chunk-size"] = r.chunk_bytes;
        s["--retention"] = r.retention;
    }
    if (r.command == Command::import)
        s["--retention"] = r.any_retention ? nlohmann::json() : nlohmann::json(r.retention);
    if (r.command != Command::export_ && r.command != Command::verify)
        s["--sequences"] = r.sequences == SequencesMode::keep ? "keep" : "sync";
    // The dump set the first attempt chose (import without --dump): pinned,
    // so a resume never switches to a newer set that appeared meanwhile.
    if (r.command == Command::import) s["--dump"] = r.dump_path;
    return s;
}

std::filesystem::path journal_path(const Request& r, const nlohmann::json& header) {
    auto text = header.dump();
    return r.work_dir /
           fmt::format("{}-{:016x}.journal", command_name(r.command), XXH3_64bits(text.data(), text.size()));
}

void print_result(const Invocation& inv, const RunResult& result, bool ok) {
    for (const auto& w : result.warnings) std::fprintf(stderr, "warning: %s\n", redact(w).c_str());
    if (inv.json) {
        nlohmann::json out = {{"command", std::string(command_name(inv.request.command))},
                              {"ok", ok},
                              {"summary", result.summary},
                              {"warnings", result.warnings}};
        if (!result.report.empty()) out["report"] = result.report.to_json();
        std::puts(redact(out.dump(2)).c_str());
        return;
    }
    if (!result.report.empty())
        std::fputs(redact(result.report.to_text(inv.verbosity == Verbosity::verbose)).c_str(), stdout);
    if (ok)
        for (const auto& line : result.summary) std::puts(redact(line).c_str());
}

}  // namespace

std::string choose_engine(const Invocation& inv) {
    if (!inv.engine.empty()) return inv.engine;
    const auto& r = inv.request;
    return is_https(r.source) || is_https(r.target) ? "oracle" : "postgres";
}

int run_invocation(const Invocation& inv) {
    const auto engine_name = choose_engine(inv);
    auto engine = make_engine(engine_name);
    RunResult result;
    auto header = journal_header(engine_name, inv.request);
    auto path = journal_path(inv.request, header);
    // Taken before planning: planning connects and locks the target too, and
    // a second process should hear about the first one by its pid at once.
    if (!inv.plan_only) {
        std::error_code ec;
        std::filesystem::create_directories(inv.request.work_dir, ec);
        if (ec)
            throw Error(ErrorKind::io,
                        fmt::format("cannot create the work directory {} (where run journals live): {}",
                                    inv.request.work_dir.string(), ec.message()),
                        "pass --work-dir a directory this user can create and write");
    }
    RunLock run_lock = inv.plan_only ? RunLock{} : RunLock::acquire(Journal::lock_path(path));
    Request request = inv.request;
    if (request.resume && !inv.plan_only && request.dump_path.empty()) {
        auto saved = Journal::read_settings(path);
        if (saved.is_object() && saved.contains("--dump") && saved["--dump"].is_string())
            request.dump_path = saved["--dump"].get<std::string>();
    }
    Plan plan = engine->plan(request, result);
    if (!result.pinned_dump.empty()) request.dump_path = result.pinned_dump;
    if (inv.plan_only) {
        for (const auto& w : result.warnings) std::fprintf(stderr, "warning: %s\n", redact(w).c_str());
        std::fputs(redact(inv.json ? plan.render_json().dump(2) + "\n" : plan.render_text()).c_str(), stdout);
        return 0;
    }
    // --resume with no journal: the run never began, or it finished (the
    // journal goes last); a new run starts, and the user should know why a
    // finished target is then found in the way.
    if (request.resume && !std::filesystem::exists(path))
        std::fprintf(stderr, "warning: %s\n",
                     redact(fmt::format("no journal to resume at {}: the run never began or had finished; "
                                        "starting it anew",
                                        path.string()))
                         .c_str());
    Journal journal =
        Journal::open(path, header, request.resume, std::move(run_lock), journal_settings(request));
    Progress progress(inv.verbosity == Verbosity::quiet ? Progress::Style::quiet : Progress::Style::lines);
    try {
        run_plan(plan, journal, progress);
    } catch (Error& e) {
        // Whatever the steps learned (a verify report, warnings) is shown
        // before the error line.
        print_result(inv, result, false);
        const bool resumable = e.kind() != ErrorKind::verify_mismatch && e.kind() != ErrorKind::usage &&
                               e.kind() != ErrorKind::corrupt_artefact;
        // A usage error, or a target found occupied, before anything was
        // done but steps that run again on resume anyway (connect,
        // snapshot): the corrected command must not find this run's journal
        // in its way, and a --resume of it has nothing to continue. (Seen:
        // a --resume of a run that had finished failed on its own copy and
        // left a journal behind.)
        std::set<std::string> rerun_steps;
        for (const auto& step : plan.steps())
            if (step.rerun_on_resume) rerun_steps.insert("step:" + step.id);
        if ((e.kind() == ErrorKind::usage || e.kind() == ErrorKind::target_exists) &&
            journal.records_nothing_but({"source-catalog"}, rerun_steps))
            journal.discard();
        if (e.kind() == ErrorKind::corrupt_artefact && e.hint().empty())
            e.set_hint(
                "the dump set is damaged: export it again (the target keeps a schema marked incomplete; drop "
                "it)");
        if (resumable)
            e.set_hint(e.hint().empty()
                           ? fmt::format("fix the cause and run the same command with --resume (journal {})",
                                         path.string())
                           : e.hint());
        throw;
    }
    bool ok = !result.report.has_failures();
    print_result(inv, result, ok);
    // Last: a process killed before this line resumes to "all done" (the
    // kill tests stop here too: a resume with every step done must leave
    // nothing behind).
    fault_point("run:before-discard");
    journal.discard();  // a finished run has nothing to resume
    return ok ? 0 : exit_code(ErrorKind::verify_mismatch);
}

}  // namespace dbclone
