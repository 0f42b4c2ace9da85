// Runbook §3 (APEX export, stored in the bucket next to the dump) and §7
// (install into the new workspace with the new parsing schema). The export
// never leaves the databases: APEX_EXPORT -> DBMS_CLOUD.PUT_OBJECT on the
// source, DBMS_CLOUD.GET_OBJECT -> APEX_APPLICATION_INSTALL on the target.
// --download additionally fetches a copy for people to review.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "engine/oracle/oracle_statements.h"
#include "engine/oracle/steps/oracle_steps.h"

namespace dbclone::oracle {

namespace {

std::string apex_uri(const OracleOptions& o, const std::string& timestamp) {
    return o.bucket_uri + apex_prefix(o, timestamp);
}

std::string out_value(const StatementResult& r, const std::string& name) {
    auto it = r.out.find(name);
    if (it == r.out.end() || it->second.is_null()) return {};
    return it->second.is_string() ? it->second.get<std::string>() : it->second.dump();
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

// A file name from the export, made safe to write under the download folder.
std::filesystem::path safe_relative(const std::string& name) {
    std::filesystem::path p(name);
    if (p.is_absolute() || name.find("..") != std::string::npos || name.empty())
        throw Error(ErrorKind::corrupt_artefact,
                    "APEX export file name '" + name + "' is not a safe relative path");
    return p;
}

}  // namespace

Step apex_export_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "apex-export";
    s.title = fmt::format("export APEX application {} to {}", o.app.value_or(0),
                          apex_uri(o, kTimestampPlaceholder));
    s.detail =
        render({apex_export(o, apex_uri(o, kTimestampPlaceholder))},
               std::string("APEX_EXPORT.GET_APPLICATION, ") + (o.split_apex ? "split" : "single file") +
                   ", stored with DBMS_CLOUD.PUT_OBJECT; the timestamp is the schema export's");
    s.run = [run](StepContext& ctx) {
        std::string ts = prefix_timestamp(state(ctx.journal, "export.prefix", "export-schema"));
        auto r = run->source().execute(apex_export(run->options(), apex_uri(run->options(), ts)));
        std::string files = out_value(r, "file_names");
        if (files.empty()) throw Error(ErrorKind::sql, "APEX_EXPORT.GET_APPLICATION returned no files");
        set_state(ctx.journal, "apex.files", files);
        set_state(ctx.journal, "apex.source_workspace", out_value(r, "workspace"));
        ctx.progress.note(fmt::format("APEX export: {} file(s) from workspace {}", lines(files).size(),
                                      out_value(r, "workspace")));
    };
    return s;
}

Step apex_download_step(const RunPtr& run) {
    const auto& o = run->options();
    Step s;
    s.id = "apex-download";
    s.title = "keep a local copy of the APEX export in " + o.download_dir;
    s.detail = render(
        {query("apex_fetch_file.sql", {in("credential_name", o.credential),
                                       in("object_uri", apex_uri(o, kTimestampPlaceholder) + "f" +
                                                            std::to_string(o.app.value_or(0)) + ".sql")})},
        "once per exported file, paged; pieces are joined in order");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        std::string ts = prefix_timestamp(state(ctx.journal, "export.prefix", "export-schema"));
        for (const auto& name : lines(state(ctx.journal, "apex.files", "apex-export"))) {
            auto rows = run->source().query(
                query("apex_fetch_file.sql",
                      {in("credential_name", opt.credential), in("object_uri", apex_uri(opt, ts) + name)}));
            std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
                return number(a, "piece_no") < number(b, "piece_no");
            });
            std::filesystem::path path = std::filesystem::path(opt.download_dir) / safe_relative(name);
            std::filesystem::create_directories(path.parent_path());
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            for (const auto& row : rows) out << text(row, "piece");
            if (!out) throw Error(ErrorKind::io, "cannot write " + path.string());
            ctx.progress.note("downloaded " + path.string());
        }
    };
    return s;
}

Step apex_import_step(const RunPtr& run) {
    const auto& o = run->options();
    long app = o.app.value_or(0);
    Step s;
    s.id = "apex-import";
    s.title =
        fmt::format("install APEX application {} into workspace {} (parsing schema {}, application id {})",
                    app, o.workspace, o.target_schema,
                    o.app_id_mode == AppIdMode::auto_assign ? std::string("auto")
                    : o.app_id_mode == AppIdMode::reuse     ? std::to_string(app) + " (reused)"
                                                            : std::to_string(o.app_id));
    s.detail =
        render({apex_import(o, apex_uri(o, kTimestampPlaceholder), "f" + std::to_string(app) + ".sql", app),
                query("apex_application.sql", {in("workspace", o.workspace)})},
               "file names are those the export step stored");
    s.run = [run](StepContext& ctx) {
        const auto& opt = run->options();
        std::string ts = prefix_timestamp(state(ctx.journal, "export.prefix", "export-schema"));
        std::string files = state(ctx.journal, "apex.files", "apex-export");
        auto r = run->target().execute(apex_import(opt, apex_uri(opt, ts), files, opt.app.value_or(0)));
        std::string installed = out_value(r, "installed_app_id");
        bool found = false;
        for (const auto& row :
             run->target().query(query("apex_application.sql", {in("workspace", opt.workspace)})))
            if (text(row, "application_id") == installed) found = true;
        if (!found)
            throw Error(ErrorKind::sql, "the install returned application " + installed + " but workspace " +
                                            opt.workspace + " does not list it");
        set_state(ctx.journal, "apex.installed", installed);
        run->result().summary.push_back("APEX application installed as " + installed + " in workspace " +
                                        opt.workspace);
    };
    return s;
}

}  // namespace dbclone::oracle
