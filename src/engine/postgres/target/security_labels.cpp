#include "engine/postgres/target/security_labels.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "core/error.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

// SQLSTATE of SECURITY LABEL FOR an unknown provider ("security label
// provider ... is not loaded"): the provider is looked up before the object.
constexpr std::string_view kInvalidParameterValue = "22023";

// Whether the target has loaded `provider`. The probe labels a schema that
// does not exist: a loaded provider gets as far as the object lookup (3F000),
// a missing one fails first (22023). In a transaction rolled back, so that
// even a schema of that name would keep its labels.
bool provider_loaded(Connection& t, const std::string& provider) {
    const bool outer = t.in_transaction_block();
    t.exec(outer ? "SAVEPOINT dbclone_label_probe" : "BEGIN");
    std::string code;
    try {
        t.exec(fmt::format("SECURITY LABEL FOR {} ON SCHEMA {} IS NULL", quote_ident(provider),
                           quote_ident("dbclone probe: no such schema")));
    } catch (const Error& e) {
        code = e.sqlstate();
    }
    t.exec(outer ? "ROLLBACK TO SAVEPOINT dbclone_label_probe" : "ROLLBACK");
    return code != kInvalidParameterValue;
}

std::set<std::string> providers_used(const SchemaCatalog& c) {
    std::set<std::string> out;
    for (const auto& l : c.schema_labels) out.insert(l.provider);
    for (const auto& e : c.entries)
        if (e.kind == kSecurityLabelKind) out.insert(e.name.substr(4, e.name.find(" ON ") - 4));
    return out;
}

std::string schema_label_sql(const SchemaLabel& l, const std::string& schema) {
    return fmt::format("SECURITY LABEL FOR {} ON SCHEMA {} IS {}", quote_ident(l.provider),
                       quote_ident(schema), quote_literal(l.label));
}

}  // namespace

void apply_label_options(PgRun& run) {
    if (!run.options.no_security_labels) return;
    auto& c = run.catalog;
    for (const auto& l : c.schema_labels)
        run.result.warnings.push_back("security label not copied (--no-security-labels): " +
                                      schema_label_sql(l, c.schema));
    c.schema_labels.clear();
    std::erase_if(c.entries, [&](const DdlEntry& e) {
        if (e.kind != kSecurityLabelKind) return false;
        run.result.warnings.push_back("security label not copied (--no-security-labels): " + e.sql);
        return true;
    });
}

void check_target_label_providers(PgRun& run) {
    std::vector<std::string> missing;
    for (const auto& p : providers_used(run.catalog))
        if (!provider_loaded(*run.target, p)) missing.push_back(quote_ident(p));
    if (missing.empty()) return;
    std::string listed;
    for (const auto& m : missing) listed += (listed.empty() ? "" : ", ") + m;
    throw Error(ErrorKind::unsupported,
                fmt::format("the schema has security labels of provider(s) {}, which the target server has "
                            "not loaded; nothing was changed",
                            listed),
                "load the provider's module on the target (shared_preload_libraries), or pass "
                "--no-security-labels to copy without them (each is then named in a warning)");
}

void apply_schema_labels(PgRun& run, const std::string& schema) {
    for (const auto& l : run.catalog.schema_labels)
        with_context("setting the schema's security labels",
                     [&] { run.target->exec(schema_label_sql(l, schema)); });
}

}  // namespace dbclone::pg
