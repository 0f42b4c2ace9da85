#include "cli/command_line.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

#include "core/error.h"
#include "core/machine.h"
#include "engine/engine.h"

namespace dbclone {

namespace {

struct RawArgs {
    std::string source, target, schema, remap, retention;
    bool no_verify = false;
    bool no_rewrite_bodies = false;
};

// Below this a chunk would be mostly zstd frame and manifest entry.
constexpr std::size_t kMinChunkBytes = 4096;
constexpr std::size_t kMaxChunkBytes = std::size_t{1} << 40;

// A PostgreSQL duration: digits and one of its time units (lock_timeout).
const CLI::Validator kDuration(
    [](std::string& v) -> std::string {
        std::size_t digits = 0;
        while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9') ++digits;
        const auto unit = v.substr(digits);
        if (digits == 0 || !(unit.empty() || unit == "ms" || unit == "s" || unit == "min" || unit == "h"))
            return "write a duration: a number with ms, s, min or h (e.g. 30s)";
        return {};
    },
    "DURATION");

// An age: a number of days or hours (dumps --older-than).
const CLI::Validator kAge(
    [](std::string& v) -> std::string {
        std::size_t digits = v.find_first_not_of("0123456789");
        bool ok = digits != 0 && digits != std::string::npos && digits + 1 == v.size() &&
                  (v.back() == 'd' || v.back() == 'h');
        return ok ? std::string() : "write a number of days or hours, e.g. 7d or 36h";
    },
    "AGE");

// A size is a number with an optional unit (AsSizeValue: 64MiB, 1G, 8192).
const CLI::Validator kStartsWithDigits(
    [](std::string& v) -> std::string {
        return !v.empty() && v[0] >= '0' && v[0] <= '9' ? std::string()
                                                        : "write a number with a unit, e.g. 64MiB";
    },
    "SIZE");

// "SRC" or "SRC:DST". A ':' inside a schema name is written "\:" (and a
// backslash "\\"); any other ':' more than the one separator is refused, so
// a typo never creates a schema named "b:c".
void split_schema(const std::string& spec, Request& request) {
    std::vector<std::string> names(1);
    for (std::size_t i = 0; i < spec.size(); ++i) {
        const char c = spec[i];
        if (c == '\\' && i + 1 < spec.size() && (spec[i + 1] == ':' || spec[i + 1] == '\\'))
            names.back() += spec[++i];
        else if (c == ':')
            names.emplace_back();
        else
            names.back() += c;
    }
    const std::string hint = "write SRC or SRC:DST; a ':' inside a schema name is written \\:";
    if (names.size() > 2)
        throw Error(ErrorKind::usage, fmt::format("bad schema mapping '{}': more than one ':'", spec), hint);
    request.source_schema = names[0];
    request.target_schema = names.size() == 2 ? names[1] : names[0];
    if (request.source_schema.empty() || request.target_schema.empty())
        throw Error(ErrorKind::usage, fmt::format("bad schema mapping '{}'", spec), hint);
}

const std::map<std::string, TableExistsAction> kTableExistsActions = {
    {"skip", TableExistsAction::skip},
    {"append", TableExistsAction::append},
    {"truncate", TableExistsAction::truncate},
    {"replace", TableExistsAction::replace}};
const std::map<std::string, SequencesMode> kSequencesModes = {{"keep", SequencesMode::keep},
                                                              {"sync", SequencesMode::sync}};

std::string from_env_if_missing(const std::string& given, const char* variable) {
    if (!given.empty() && given != "-") return given;
    const char* value = std::getenv(variable);
    return value ? value : "";
}

CLI::App* add_command(CLI::App& parent, Command kind, const char* description, Invocation& inv,
                      RawArgs& raw) {
    auto* cmd = parent.add_subcommand(std::string(command_name(kind)), description);
    cmd->fallthrough();
    auto& r = inv.request;
    bool needs_source = kind != Command::import && kind != Command::dumps;
    bool needs_target = kind != Command::export_ && kind != Command::dumps;
    if (needs_source)
        cmd->add_option("SOURCE", raw.source,
                        "source connection (libpq URI or keywords; env DBCLONE_SOURCE)");
    if (kind == Command::dumps)
        cmd->add_option("DATABASE", raw.source,
                        "Oracle: the ORDS URL of a database whose credential can list the bucket (env "
                        "DBCLONE_SOURCE); not needed for a --store directory");
    if (needs_target)
        cmd->add_option("TARGET", raw.target,
                        "target connection (libpq URI or keywords; env DBCLONE_TARGET)");
    cmd->add_option(
        "--schema", raw.schema,
        kind == Command::dumps ? "only the dump sets of this schema" : "schema to copy, SRC or SRC:DST");
    if (kind == Command::import || kind == Command::clone || kind == Command::refresh)
        cmd->add_option("--remap-schema", raw.remap, "SRC:DST, as Data Pump's REMAP_SCHEMA");
    if (kind == Command::export_ || kind == Command::import || kind == Command::dumps) {
        cmd->add_option("--store", r.store_url,
                        "where dump sets live: a directory, file:///path or s3://bucket/prefix "
                        "(the oracle engine takes --bucket-uri instead)");
        if (kind == Command::import || kind == Command::dumps)
            cmd->add_option("--retention", raw.retention,
                            "look only under this retention (default: the newest dump set under any)");
        else
            cmd->add_option("--retention", r.retention,
                            "first path component of the dump set (runbook: temp, 30d, ...)");
    }
    if (kind == Command::export_)
        cmd->add_option("--chunk-size", r.chunk_bytes, "uncompressed bytes per data chunk (64MiB)")
            ->transform(CLI::AsSizeValue(false))
            ->transform(kStartsWithDigits)  // runs first: CLI11 reads a bare "MiB" as 1MiB
            ->check(CLI::Range(kMinChunkBytes, kMaxChunkBytes));
    if (kind == Command::import)
        cmd->add_option("--dump", r.dump_path, "dump set path inside the store (default: newest)");
    if (kind == Command::export_)
        cmd->add_option("--sign-key", r.sign_key,
                        "sign the dump set with this Ed25519 private key (PEM file)");
    if (kind == Command::import)
        cmd->add_option("--verify-key", r.verify_key,
                        "import only a dump set signed with this Ed25519 public key (PEM file)");
    if (kind == Command::import || kind == Command::clone || kind == Command::refresh) {
        cmd->add_option("--table-exists-action", r.table_exists,
                        "skip|append|truncate|replace (Data Pump meanings)")
            ->transform(CLI::CheckedTransformer(kTableExistsActions));
        cmd->add_flag("--no-verify", raw.no_verify, "do not verify the copy at the end");
        cmd->add_flag("--drop-dependents", r.drop_dependents,
                      "with --table-exists-action replace: also drop views and keys of other schemas "
                      "that depend on the replaced tables");
        cmd->add_flag("--no-rewrite-bodies", raw.no_rewrite_bodies,
                      "leave function bodies naming the source schema as they are");
    }
    if (kind == Command::refresh || kind == Command::import || kind == Command::clone)
        cmd->add_option("--sequences", r.sequences, "keep|sync: sequence values on a loaded existing schema")
            ->transform(CLI::CheckedTransformer(kSequencesModes));
    if (kind == Command::clone || kind == Command::export_) {
        cmd->add_flag("--allow-mixed-snapshot", r.allow_mixed_snapshot,
                      "a resumed run keeps the tables an earlier attempt read in another snapshot (recorded "
                      "in the report and manifest); default: they are read again in one snapshot");
        cmd->add_flag("--allow-changed-source", r.allow_changed_source,
                      "resume although the source schema changed since the run started; what changed is "
                      "redone");
    }
    if (kind == Command::import)
        cmd->add_flag_callback(
            "--check-chunks-while-loading", [&r] { r.check_chunks_before_load = false; },
            "read each chunk once, checking its sha256 and rows as it loads (faster); default: the whole "
            "dump "
            "set is checked before the target is touched. A damaged chunk then stops the run with the "
            "staging "
            "schema marked incomplete and nothing of that table committed; --resume goes on once it is "
            "repaired");
    if (kind == Command::dumps) {
        cmd->add_flag(
            "--prune", r.prune,
            "show the dump sets older than --older-than under --retention (default temp) that would "
            "be deleted; with --yes, delete them");
        cmd->add_option("--older-than", r.older_than,
                        "with --prune: age of the dump sets to delete, e.g. 7d or 36h")
            ->check(kAge);
        cmd->add_flag("--yes", r.prune_yes,
                      "with --prune: delete (without it, only list what would be deleted)");
        cmd->add_flag("--allow-permanent", r.allow_permanent,
                      "with --prune --retention permanent: allow deleting permanent dump sets");
    }
    if (kind == Command::clone)
        cmd->add_flag("--keep-embedded", inv.keep_embedded, "embedded default: keep the servers' directory");
    add_engine_options(*cmd, kind, r);
    return cmd;
}

void finish(Invocation& inv, RawArgs& raw) {
    auto& r = inv.request;
    if (r.command != Command::import) r.source = from_env_if_missing(raw.source, "DBCLONE_SOURCE");
    if (r.command != Command::export_ && r.command != Command::dumps)
        r.target = from_env_if_missing(raw.target, "DBCLONE_TARGET");
    if (!raw.schema.empty() && !raw.remap.empty())
        throw Error(ErrorKind::usage, "give either --schema or --remap-schema, not both");
    std::string spec = !raw.remap.empty() ? raw.remap : raw.schema;
    if (!raw.remap.empty() && raw.remap.find(':') == std::string::npos)  // one ':' at least: SRC:DST
        throw Error(ErrorKind::usage, fmt::format("bad --remap-schema '{}'", raw.remap), "write SRC:DST");
    bool no_databases = r.source.empty() && r.target.empty();
    if (r.command == Command::clone && no_databases && spec.empty()) {
        inv.embedded = true;
        return;
    }
    if (r.command == Command::dumps) {
        // Listing and pruning: one database that reads the store, any schema.
        // A file store is read directly; a bucket through the database
        // whose credential can list it.
        if (!spec.empty()) split_schema(spec, r);
        if (r.store_url.empty() && r.engine_options["bucket-uri"].empty())
            throw Error(ErrorKind::usage, "--store is required", "pass --store DIR or --bucket-uri URI");
        if (r.source.empty() && r.store_url.empty())
            throw Error(ErrorKind::usage, "no database given", "pass DATABASE or set DBCLONE_SOURCE");
        r.any_retention = raw.retention.empty();
        if (!raw.retention.empty()) r.retention = raw.retention;
        return;
    }
    if (spec.empty())
        throw Error(ErrorKind::usage, "--schema is required", "write --schema SRC or --schema SRC:DST");
    split_schema(spec, r);
    if (r.command != Command::import && r.source.empty())
        throw Error(ErrorKind::usage, "no source connection given", "pass SOURCE or set DBCLONE_SOURCE");
    if (r.command != Command::export_ && r.command != Command::doctor && r.target.empty())
        throw Error(ErrorKind::usage, "no target connection given", "pass TARGET or set DBCLONE_TARGET");
    if (r.command == Command::import) {
        r.any_retention = raw.retention.empty();
        if (!raw.retention.empty()) r.retention = raw.retention;
    }
    if ((r.command == Command::export_ || r.command == Command::import) && r.store_url.empty() &&
        r.engine_options["bucket-uri"].empty())
        throw Error(ErrorKind::usage, "--store is required", "pass --store DIR|s3://bucket/prefix");
    r.verify_after = !raw.no_verify;
    r.rewrite_bodies = !raw.no_rewrite_bodies;
}

// CLI11 answers a misspelt command with "A subcommand is required": name
// the word instead. The command is the first argument that is neither an
// option nor the value of a global option that takes one.
void expect_known_command(const CLI::App& app, int argc, char** argv,
                          const std::vector<std::string>& commands) {
    // The global options that take a value, from the app itself, so that a
    // new one cannot be mistaken for a command name.
    std::set<std::string> with_value;
    for (const CLI::Option* o : app.get_options()) {
        if (o->get_items_expected_min() == 0) continue;  // a flag
        for (const auto& n : o->get_lnames()) with_value.insert("--" + n);
        for (const auto& n : o->get_snames()) with_value.insert("-" + n);
    }
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") return;
        if (arg.rfind('-', 0) == 0) {
            if (with_value.count(arg)) ++i;
            continue;
        }
        if (std::find(commands.begin(), commands.end(), arg) != commands.end()) return;
        std::string list;
        for (const auto& c : commands) list += (list.empty() ? "" : ", ") + c;
        throw Error(ErrorKind::usage, fmt::format("unknown command '{}'", arg), "commands: " + list);
    }
}

std::filesystem::path default_work_dir() {
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state)
        return std::filesystem::path(state) / "dbclone";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local/state/dbclone";
    return std::filesystem::temp_directory_path() / "dbclone-state";
}

}  // namespace

namespace {

// The default --jobs: one job per core this process may run on (as nproc
// counts them: the affinity mask, which containers and taskset narrow), and
// at least 4. The client's own work is small (0.5 s of CPU for a 387 MB
// clone); a job mostly waits for a source and a target backend, which may
// have more cores than the client. Measured on a shared 2-core machine that
// also ran both servers (issue 13, pgbench scale 20): 4 jobs took 8.0 / 9.5 /
// 10.1 s, 2 jobs 14.3 / 15.6 / 13.6 s, alternating.
std::size_t default_jobs() {
    return std::clamp<std::size_t>(cores_here(), 4, 256);
}

}  // namespace

Invocation parse_command_line(int argc, char** argv) {
    Invocation inv;
    RawArgs raw;
    CLI::App app{"dbclone: clone a database schema with its data and application, verify it"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("dbclone ") + DBCLONE_VERSION);
    auto& r = inv.request;
    std::string work_dir;
    bool verbose = false, quiet = false;
    app.add_option("--engine", inv.engine, "postgres or oracle (default: from the connection strings)");
    auto* jobs = app.add_option("-j,--jobs", r.jobs,
                                "parallel jobs (default: the number of CPU cores here, at least 4)")
                     ->check(CLI::Range(1, 256));
    app.add_option("--lock-wait-timeout", r.lock_wait_timeout,
                   "give up waiting for a lock after this long (e.g. 30s, 500ms, 2min; default: the server's "
                   "lock_timeout)")
        ->check(kDuration);
    app.add_option("--work-dir", work_dir, "where run journals live");
    app.add_flag("--resume", r.resume, "continue the journaled run of the same command");
    app.add_flag("--json", inv.json, "machine-readable output on stdout");
    app.add_flag("-v,--verbose", verbose, "more logging");
    app.add_flag("-q,--quiet", quiet, "only errors and the result");

    struct Entry {
        Command kind;
        const char* description;
    };
    const Entry commands[] = {
        {Command::export_, "export a schema into a dump set"},
        {Command::import, "import a dump set into a target, optionally under another schema name"},
        {Command::clone, "copy a schema directly from source to target (no files)"},
        {Command::refresh, "reload the data of an existing target schema, keeping its structure"},
        {Command::verify, "compare a source schema with a target schema"},
        {Command::doctor, "read-only preflight of source and target (Oracle ADB): what a run would hit"},
        {Command::dumps, "list the dump sets in a store, or prune old ones (--prune --older-than)"},
    };
    auto* plan = app.add_subcommand("plan", "print the plan of a command without running it");
    plan->require_subcommand(1);
    plan->fallthrough();
    std::vector<std::pair<CLI::App*, Command>> all;
    for (const auto& e : commands) {
        all.emplace_back(add_command(app, e.kind, e.description, inv, raw), e.kind);
        all.emplace_back(add_command(*plan, e.kind, e.description, inv, raw), e.kind);
    }
    std::vector<std::string> command_names{"plan"};
    for (const auto& e : commands) command_names.emplace_back(command_name(e.kind));
    expect_known_command(app, argc, argv, command_names);
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version: printed by CLI11
        inv.exit_now = app.exit(e);
        return inv;
    } catch (const CLI::ParseError& e) {
        throw Error(ErrorKind::usage, e.what(), "run dbclone --help");
    }
    r.jobs_given = jobs->count() > 0;
    if (!r.jobs_given) r.jobs = default_jobs();
    inv.plan_only = plan->parsed();
    for (auto& [cmd, kind] : all)
        if (cmd->parsed()) r.command = kind;
    inv.verbosity = quiet ? Verbosity::quiet : verbose ? Verbosity::verbose : Verbosity::normal;
    r.work_dir = work_dir.empty() ? default_work_dir() : std::filesystem::path(work_dir);
    r.dry_run = inv.plan_only;
    finish(inv, raw);
    return inv;
}

}  // namespace dbclone
