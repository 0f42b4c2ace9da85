// What the source schema holds that this target cannot take, found before
// the target is touched: each throws Error(unsupported) naming the objects.
#pragma once

#include "engine/postgres/run.h"

namespace dbclone::pg {

// Operator classes and families: only a superuser can create them.
void refuse_superuser_kinds_for_plain_role(PgRun& run);

// Rows of reg* columns naming the schema's own objects (catalog.h,
// rows_naming_schema): COPY prints them qualified with the source schema's
// name, which names the source's objects (same database) or nothing
// (another database, or the staging schema a load goes into first).
void refuse_rows_naming_schema(const PgRun& run);

// Extensions of the source schema (EXTENSION entries) the target database
// already has (in any schema: one per database) or does not offer.
void refuse_extensions_the_target_cannot_take(PgRun& run);

}  // namespace dbclone::pg
