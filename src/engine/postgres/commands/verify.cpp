// `dbclone verify` for PostgreSQL: compares a source schema with a target
// schema that is already there, each read in its own snapshot: object
// inventory by kind, name and definition, rows and content checksums of
// every table, sequence values, invalid objects.
#include <fmt/format.h>

#include "core/error.h"
#include "core/worker_pool.h"
#include "engine/postgres/catalog/reader.h"
#include "engine/postgres/commands/commands.h"
#include "engine/postgres/data/snapshot.h"
#include "engine/postgres/data/source_access.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/libpq/quote.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/target/roles.h"
#include "engine/postgres/target/security_labels.h"
#include "engine/postgres/target/target.h"
#include "engine/postgres/verify/checksums.h"
#include "engine/postgres/verify/compare.h"
#include "engine/postgres/verify/redeparse.h"

namespace dbclone::pg {

namespace {

struct VerifyRun {
    std::shared_ptr<PgRun> run;
    SchemaCatalog target_catalog;
    std::string target_snapshot;
    bool target_row_security = false;  // --enable-row-security and policies apply on the target
};

}  // namespace

Plan build_verify_plan(const Request& request, RunResult& result) {
    auto v = std::make_shared<VerifyRun>();
    v->run = std::make_shared<PgRun>(request, result);
    auto& run = *v->run;
    open_source_snapshot(run, request.source, request.source_schema);
    // Grants as a copy made with the same --role-map has them.
    apply_acl_options(run);
    apply_label_options(run);
    run.target = std::make_unique<Connection>(request.target, "target");
    auto& t = *run.target;
    t.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!schema_exists(t, request.target_schema))
        throw Error(ErrorKind::not_found, fmt::format("schema {} does not exist in the target database",
                                                      quote_ident(request.target_schema)));
    // The target's rows are read as the source's are: policies that apply
    // to this role would make that fail half-way (row_security = off).
    // --enable-row-security reads both sides as their policies allow.
    auto guarded = tables_under_row_security(t, request.target_schema);
    if (!guarded.empty() && run.options.enable_row_security) {
        t.exec("SET LOCAL row_security = on");
        v->target_row_security = true;
    } else if (!guarded.empty()) {
        std::string listed;
        for (const auto& name : guarded) listed += (listed.empty() ? "" : ", ") + quote_ident(name);
        throw Error(ErrorKind::unsupported,
                    fmt::format("row-level security policies apply to this role on {} of schema {} of the "
                                "target: their rows cannot be read for the comparison; nothing was compared",
                                listed, quote_ident(request.target_schema)),
                    row_security_hint(t, request.target_schema, guarded));
    }
    v->target_snapshot = t.query("SELECT pg_export_snapshot()").get(0, 0);
    v->target_catalog = read_schema_catalog(t, request.target_schema);
    // Both sides read each table in the same format: binary where its
    // column types allow (the same choice on both, from the same types).
    use_binary_copy(run.catalog.tables);
    use_binary_copy(v->target_catalog.tables);
    run.load_schema = request.target_schema;

    Plan plan("verify");
    plan.add({"compare-objects", "compare the object inventory and sequence values",
              fmt::format("source {} objects, target {} objects", run.catalog.entries.size(),
                          v->target_catalog.entries.size()),
              [v](StepContext&) {
                  auto& r = *v->run;
                  r.result.report.set_title(fmt::format("verification of schema {} against {}",
                                                        quote_ident(r.request.source_schema),
                                                        quote_ident(r.request.target_schema)));
                  compare_inventory(r.catalog, v->target_catalog, target_roles(*r.target), r.result.report,
                                    false, [&](const std::vector<DdlEntry>& entries) {
                                        Connection probe(r.request.target, "target");
                                        return redeparse_on_server(probe, r.request.target_schema, entries);
                                    });
                  compare_sequences(r.catalog, v->target_catalog, r.result.report);
                  compare_default_privileges(r.catalog, v->target_catalog, r.result.report);
                  compare_schema_labels(r.catalog, v->target_catalog, r.result.report);
              },
              true});
    plan.add({"compare-data", fmt::format("row counts and content checksums, {} jobs per side", request.jobs),
              fmt::format("{} tables", run.catalog.tables.size()),
              [v](StepContext&) {
                  auto& r = *v->run;
                  const auto& req = r.request;
                  ChecksumSide source_side{"source", req.source_schema,
                                           [&] { return connect_to_source_snapshot(r); }, r.source.get()};
                  ChecksumSide target_side{"target", req.target_schema,
                                           [&] {
                                               return connect_in_snapshot(req.target, v->target_snapshot,
                                                                          req.target_schema, "target",
                                                                          v->target_row_security);
                                           },
                                           r.target.get()};
                  auto source = checksum_tables(r.catalog.tables, source_side, req.jobs);
                  auto target = checksum_tables(v->target_catalog.tables, target_side, req.jobs);
                  compare_tables(r.catalog.tables, source, target, r.result.report);
              },
              true});
    plan.add({"check-invalid", "look for invalid objects on the target", "",
              [v](StepContext&) {
                  check_invalid_objects(*v->run->target, v->run->request.target_schema,
                                        v->run->result.report);
              },
              true});
    return plan;
}

}  // namespace dbclone::pg
