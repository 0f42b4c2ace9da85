// What the source schema holds that this target cannot take, found before
// the target is touched: each throws Error(unsupported) naming the objects.
#pragma once

#include "engine/postgres/run.h"

namespace dbclone::pg {

// Operator classes and families, text search parsers and templates: only a
// superuser can create them. Named before anything is touched (skipping them
// would leave what is built on them - indexes, dictionaries, configurations -
// uncreatable halfway through the load).
void refuse_superuser_kinds_for_plain_role(PgRun& run);

// Rows of reg* columns naming the schema's own objects that a load cannot
// point at the copy's objects (catalog.h rows_naming_schema, with the reason
// for each), or any such rows in a dump set of an earlier version (written
// qualified with the source schema's name). Values naming relations a new
// copy creates after its rows (rows_naming_later_relations: an index) are
// refused too, unless the run loads into the target's existing tables
// (refresh; not --table-exists-action replace) and each such relation
// stands in the target schema already, which is checked. Runs once the load
// schema is chosen, before anything changes on the target.
void refuse_rows_naming_schema(PgRun& run);

// Extensions of the source schema (EXTENSION entries) the target database
// already has (in any schema: one per database) or does not offer.
void refuse_extensions_the_target_cannot_take(PgRun& run);

}  // namespace dbclone::pg
