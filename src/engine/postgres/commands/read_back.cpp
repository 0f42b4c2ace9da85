#include "engine/postgres/commands/read_back.h"

#include <mutex>
#include <utility>

#include "core/error.h"
#include "engine/postgres/data/table_copy.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg {

ReadBacks::ReadBacks(PgRun& run, std::size_t workers) : run_(run), readers_(workers) {}

ReadBacks::~ReadBacks() {
    for (auto& r : readers_)
        if (r.thread.joinable()) r.thread.join();
}

void ReadBacks::join(Reader& reader) {
    if (reader.thread.joinable()) reader.thread.join();
}

void ReadBacks::wait(Reader& reader) {
    join(reader);
    if (auto error = std::exchange(reader.error, nullptr)) std::rethrow_exception(error);
}

void ReadBacks::start(std::size_t worker, const TableData& table) {
    auto& reader = readers_.at(worker);
    wait(reader);
    if (!reader.conn) {
        reader.conn = std::make_unique<Connection>(run_.request.target, "target");
        // As every row session: reg* values print relative to the copy's
        // schema, as the source's do to the source's (catalog/reg_columns.cpp).
        copy_rows_relative_to(*reader.conn, run_.load_schema);
    }
    reader.thread = std::thread([this, &reader, tp = &table] {
        try {
            auto sum = with_context("reading back table " + quote_ident(tp->name) + " for verification",
                                    [&] { return checksum_table(*reader.conn, run_.load_schema, *tp); });
            std::lock_guard lock(run_.mutex);
            run_.landed[tp->name] = {sum.rows(), sum.hex()};
        } catch (...) {
            reader.error = std::current_exception();
        }
    });
}

void ReadBacks::wait_for(std::size_t worker) {
    join(readers_.at(worker));
}

void ReadBacks::finish() {
    std::exception_ptr first;
    for (auto& r : readers_) {
        try {
            wait(r);
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    if (first) std::rethrow_exception(first);
}

}  // namespace dbclone::pg
