// A resumed clone of a table cut into block ranges (data/table_parts.h) keeps
// the parts an earlier attempt committed, and copies only the missing ones,
// when it can prove that each kept range holds, in this attempt's snapshot,
// exactly the rows that attempt copied from it. Then the table is what this
// snapshot sees, one snapshot, and nothing arrives twice. Otherwise the table
// is emptied and every part is copied again.
//
// The proof, per kept part (range [first, end) of heap blocks, copied in a
// snapshot with xmin X, R rows):
//  - the table's file node is the one journaled when the ranges were cut:
//    rows move between blocks only when the table is rewritten (VACUUM FULL,
//    CLUSTER, TRUNCATE, a rewriting ALTER TABLE), and a rewrite gives the
//    table a new file node. (A later rewrite could reuse the old number only
//    after the OID counter went round, 2^32 allocations.)
//  - no row version this snapshot sees in the range was written by a
//    transaction X or newer: every transaction older than X had ended when
//    the earlier snapshot was taken, so each row version seen now was seen
//    then too (a version deleted before it would be invisible now as well).
//    An insert or update since then makes a version with a newer xmin; a
//    subtransaction's xid is newer than its parent's, so it counts too; the
//    xmin column shows the raw xid, which freezing keeps.
//  - the range holds R rows now: with no new versions, a row deleted since
//    then can only lower the count.
// So the rows now seen are a subset of those copied, of the same number:
// the same rows. X must be less than 2^30 transactions old (xid ages wrap at
// 2^31); an older or special X proves nothing. Rows written shortly before
// the first attempt (X or newer) also prove nothing: that part is copied
// again, which is slower, never wrong.
//
// Not used, because it proves nothing: pg_stat_user_tables' n_tup_ins/upd/del
// are flushed by each backend asynchronously (PostgreSQL 15+: up to 60 s
// late under contention; before 15 over UDP, which may drop them) and can be
// reset, so equal counters do not mean no row changed.
//
// --allow-mixed-snapshot does not change this: a table whose parts come from
// two snapshots is not a snapshot of that table at all (an updated row can
// arrive twice, a moved one not at all), so a part that cannot be proven
// still makes the table copy again, in this snapshot.
#pragma once

#include <string>
#include <vector>

#include "core/journal.h"
#include "engine/postgres/data/table_parts.h"
#include "engine/postgres/libpq/worker_connections.h"
#include "engine/postgres/run.h"

namespace dbclone::pg {

// The parts of `table` for this attempt. When an earlier attempt journaled
// parts of it, the ranges it cut them by (journaled as "ranges:<key>" with
// the table's file node, before its first part was copied); otherwise a new
// cut, journaled now. A table of one part is not journaled.
std::vector<TablePart> pinned_parts(PgRun& run, Journal& journal, const TableCutter& cutter,
                                    const TableData& table);

struct ResumedTable {
    const TableData* table = nullptr;
    std::vector<TablePart> parts;
};

// For each table with journaled parts: a part committed but not journaled
// empties the table (data/committed_parts.h); otherwise every journaled part
// is proven as above, reading this attempt's snapshot on `sources` in
// parallel. A table with a part that cannot be proven loses its journaled
// parts and its "emptied:" mark, so it is emptied and copied again. Says
// per table what was kept (a summary line) or why not (a log line).
void keep_proven_parts(PgRun& run, Journal& journal, WorkerConnections& sources, Connection& target,
                       const std::vector<ResumedTable>& tables);

}  // namespace dbclone::pg
