// `refresh`: runbook §8, a data-only reload of an existing clone.
#include "core/error.h"
#include "engine/oracle/commands/commands.h"
#include "engine/oracle/ords/url.h"

namespace dbclone::oracle {

namespace {

// host[:port] as libcurl connects to it (case folded), so two spellings of
// one database compare equal.
std::string host_of(const std::string& url) {
    const auto parts = parse_url(url);
    if (!parts) return url;
    return parts->port.empty() ? parts->host : parts->host + ":" + parts->port;
}

}  // namespace

Plan refresh_plan(const RunPtr& run) {
    const auto& o = run->options();
    if (host_of(o.source_url) == host_of(o.target_url) && o.source_schema == o.target_schema)
        throw Error(
            ErrorKind::usage,
            "refresh target is the source (" + host_of(o.target_url) + ", schema " + o.target_schema + ")",
            "a refresh truncates the target's tables; name a different target database or schema");
    Plan plan("refresh");
    if (o.preflight) plan.add(preflight_step(run, true));
    plan.add(compatibility_step(run, true));
    plan.add(credential_step(run, Side::source));
    plan.add(credential_step(run, Side::target));
    add_export(plan, run);
    add_reload(plan, run);
    if (o.sequences == SequencesMode::sync) plan.add(sequences_step(run));
    plan.add(stats_step(run));
    if (o.verify_after) plan.add(verify_step(run, true));
    return plan;
}

}  // namespace dbclone::oracle
