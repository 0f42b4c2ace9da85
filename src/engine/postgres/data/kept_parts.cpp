#include "engine/postgres/data/kept_parts.h"

#include <fmt/format.h>

#include <memory>
#include <mutex>

#include "core/error.h"
#include "core/log.h"
#include "core/worker_pool.h"
#include "engine/postgres/data/committed_parts.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

namespace {

// Ages of xids wrap at 2^31; a snapshot this much older proves nothing.
constexpr long long kMaxProvableAge = 1ll << 30;

std::string ranges_key(const TableData& table) {
    return "ranges:" + table.key;
}
std::string parts_prefix(const TableData& table) {
    return "part:" + table.key + ":";
}

std::string file_node(Connection& source, const std::string& schema, const TableData& table) {
    return source.query("SELECT pg_relation_filenode($1::regclass)::text", {qualify(schema, table.name)})
        .get(0, 0);
}

void forget_parts(Journal& journal, const TableData& table) {
    journal.forget_prefix(parts_prefix(table));
    journal.forget_prefix("emptied:" + table.key);
}

std::string range_condition(const BlockRange& range) {
    std::string where = fmt::format("ctid >= '({},0)'::tid", range.first);
    if (range.end) where += fmt::format(" AND ctid < '({},0)'::tid", range.end);
    return where;
}

// Whether the rows this snapshot sees in the part's range are exactly the
// ones journaled for it (kept_parts.h); the reason when not.
std::string unproven_reason(Connection& source, const std::string& schema, const TableData& table,
                            const BlockRange& range, const nlohmann::json& done) {
    const auto xmin = done.value("xmin", std::string());
    if (xmin.empty()) return "its part has no snapshot xmin in the journal";
    auto res = source.query(fmt::format("SELECT count(*), count(*) FILTER (WHERE age(xmin) <= age($1::xid)), "
                                        "age($1::xid) FROM ONLY {} WHERE {}",
                                        qualify(schema, table.name), range_condition(range)),
                            {xmin});
    const auto rows = std::stoull(res.get(0, 0));
    const auto newer = std::stoull(res.get(0, 1));
    const auto age = std::stoll(res.get(0, 2));
    if (age < 0 || age > kMaxProvableAge)
        return fmt::format("the snapshot its part was read in is too old to compare with (xid age {})", age);
    if (newer > 0) return fmt::format("{} rows of a part were written since its snapshot", newer);
    const auto journaled = done.value("rows", std::uint64_t{0});
    if (rows != journaled)
        return fmt::format("a part holds {} rows now, {} when it was copied", rows, journaled);
    return {};
}

struct TableProof {
    const ResumedTable* resumed = nullptr;
    std::mutex mutex;
    std::string reason;  // empty: every kept part proven
    std::size_t kept = 0;
};

}  // namespace

std::vector<TablePart> pinned_parts(PgRun& run, Journal& journal, const TableCutter& cutter,
                                    const TableData& table) {
    if (!journal.done_keys(parts_prefix(table)).empty()) {
        if (auto pinned = journal.get(ranges_key(table))) {
            std::vector<BlockRange> ranges;
            for (const auto& r : pinned->at("ranges"))
                ranges.push_back({r.at(0).get<std::uint64_t>(), r.at(1).get<std::uint64_t>()});
            if (ranges.size() > 1) return cutter.parts(ranges);
        }
        // Part numbers without the ranges they stand for: nothing to keep.
        forget_parts(journal, table);
    }
    auto parts = cutter.parts(table);
    if (parts.size() > 1) {
        nlohmann::json ranges = nlohmann::json::array();
        for (const auto& p : parts) ranges.push_back({p.range.first, p.range.end});
        journal.set(
            ranges_key(table),
            {{"filenode", file_node(*run.source, run.request.source_schema, table)}, {"ranges", ranges}});
    }
    return parts;
}

void keep_proven_parts(PgRun& run, Journal& journal, WorkerConnections& sources, Connection& target,
                       const std::vector<ResumedTable>& tables) {
    const auto& schema = run.request.source_schema;
    std::vector<std::unique_ptr<TableProof>> proofs;
    std::vector<SizedJob> jobs;
    for (const auto& resumed : tables) {
        const auto& table = *resumed.table;
        const auto qualified = qualify(run.load_schema, table.name);
        // Rows of a part that committed without its journal record: the
        // table starts over (this also empties it).
        if (forget_unjournaled_parts(target, journal, qualified, table.key, resumed.parts.size())) {
            journal.forget_prefix("emptied:" + table.key);
            continue;
        }
        if (journal.done_keys(parts_prefix(table)).empty()) continue;
        auto proof = std::make_unique<TableProof>();
        proof->resumed = &resumed;
        const auto pinned = journal.get(ranges_key(table));
        if (!pinned || pinned->value("filenode", std::string()) != file_node(*run.source, schema, table))
            proof->reason = "the table was rewritten on the source (a new file node)";
        for (std::size_t i = 0; i < resumed.parts.size() && proof->reason.empty(); ++i) {
            auto done = journal.done_detail(fmt::format("part:{}:{}", table.key, i));
            if (!done) continue;
            ++proof->kept;
            jobs.push_back(
                {resumed.parts[i].bytes, [&, p = proof.get(), i, detail = *done](std::size_t worker) {
                     auto why = unproven_reason(sources.get(worker), schema, *p->resumed->table,
                                                p->resumed->parts[i].range, detail);
                     std::lock_guard lock(p->mutex);
                     if (!why.empty() && p->reason.empty()) p->reason = why;
                 }});
        }
        proofs.push_back(std::move(proof));
    }
    with_context("comparing the parts an earlier attempt copied with the source",
                 [&] { run_jobs_largest_first(run.request.jobs, std::move(jobs)); });
    for (const auto& proof : proofs) {
        const auto& table = *proof->resumed->table;
        const auto total = proof->resumed->parts.size();
        if (proof->reason.empty()) {
            run.result.summary.push_back(
                fmt::format("table {}: kept {} of {} parts copied by the interrupted attempt (their rows are "
                            "unchanged on the source), copied the rest",
                            quote_ident(table.name), proof->kept, total));
            continue;
        }
        log::info("table {}: copying all {} parts again, not keeping those of the interrupted attempt: {}",
                  quote_ident(table.name), total, proof->reason);
        forget_parts(journal, table);
    }
}

}  // namespace dbclone::pg
