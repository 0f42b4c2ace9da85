// Security labels (SECURITY LABEL FOR provider ON ...) on the target. Each
// provider is a server module (sepgsql, anon, a site's own) that must be
// loaded on the target for its labels to be set, and it decides what it
// accepts. A load copies every label of the schema and its objects, or -
// with --no-security-labels - none, each then named in a warning with its
// statement. A target that lacks a provider stops the run before anything
// is touched: a copy without the labels the source relies on for access
// control is not a copy a user asked for.
#pragma once

#include <string>

#include "engine/postgres/run.h"

namespace dbclone::pg {

inline constexpr const char* kSecurityLabelKind = "SECURITY LABEL";

// --no-security-labels: the catalog's label entries and schema labels are
// dropped, each one a warning naming its statement. Plan time, on the
// catalog (load and verify alike).
void apply_label_options(PgRun& run);

// Plan time, on the target: Error(unsupported) naming every provider the
// catalog's labels use that the target has not loaded, and how to go on.
void check_target_label_providers(PgRun& run);

// SECURITY LABEL ... ON SCHEMA `schema` for the schema's own labels.
void apply_schema_labels(PgRun& run, const std::string& schema);

}  // namespace dbclone::pg
