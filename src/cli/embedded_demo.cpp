#include "cli/embedded_demo.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/run_invocation.h"
#include "core/errno_error.h"
#include "embedded/demo_schema.h"
#include "embedded/embedded_cluster.h"

namespace dbclone {

namespace {

std::filesystem::path make_temp_dir() {
    auto pattern = (std::filesystem::temp_directory_path() / "dbclone-demo-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw errno_error("cannot create a work directory", pattern);
    // As root the servers run as user postgres, which must reach the
    // directories below this one (mkdtemp makes it 0700).
    std::filesystem::permissions(pattern, std::filesystem::perms::owner_all |
                                              std::filesystem::perms::group_exec |
                                              std::filesystem::perms::others_exec);
    return pattern;
}

void say(const std::string& line) {
    std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

int run_embedded_demo(const Invocation& invocation) {
    const auto demo_sql = find_demo_sql();
    const auto base = make_temp_dir();
    say(fmt::format(
        "embedded default: no databases given, so dbclone starts two throwaway PostgreSQL servers in {}",
        base.string()));
    int rc = 0;
    {
        EmbeddedClusterOptions source_options{base / "source", "source", invocation.keep_embedded};
        EmbeddedClusterOptions target_options{base / "target", "target", invocation.keep_embedded};
        auto source = EmbeddedCluster::start(source_options);
        auto target = EmbeddedCluster::start(target_options);
        source->create_database("demo");
        target->create_database("demo");
        // The demo grants to this role; pre-prod usually has its own roles
        // already (dbclone copies grants only to roles that exist there).
        target->run_sql("postgres", "CREATE ROLE shop_reader NOLOGIN");
        say(fmt::format("loading the demo schema \"shop\" ({}) into the source server", demo_sql.string()));
        source->run_sql_file("demo", demo_sql);

        Invocation inv = invocation;
        inv.embedded = false;
        auto& r = inv.request;
        r.source = source->conninfo("demo");
        r.target = target->conninfo("demo");
        r.source_schema = "shop";
        r.target_schema = "shop_preprod";
        r.work_dir = base / "journals";
        say(fmt::format("cloning schema shop from {} into schema shop_preprod of {}", r.source, r.target));
        rc = run_invocation(inv);
        if (rc == 0 && !inv.plan_only)
            std::printf(
                "cloned schema \"shop\" into \"shop_preprod\" on a second server and verified it.\n"
                "Next: dbclone clone SOURCE TARGET --schema SRC:DST with your own databases (dbclone "
                "--help).\n");
    }
    std::error_code ec;
    if (invocation.keep_embedded)
        say(fmt::format("kept the servers' directories in {} (--keep-embedded)", base.string()));
    else
        std::filesystem::remove_all(base, ec);
    return rc;
}

}  // namespace dbclone
