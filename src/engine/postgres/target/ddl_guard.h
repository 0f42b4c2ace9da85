// A dump set is data, not a script: whoever can write a store must not be
// able to run SQL of their choice as the importing role. Every DDL entry of a
// dump set is checked before anything reaches the target:
//  * its SQL splits (remap/lexer.h tokens, top-level semicolons, SQL-standard
//    BEGIN ATOMIC bodies kept whole) into statements of the entry's kind: a
//    TABLE entry is CREATE TABLE, then only ALTER TABLE; a CONSTRAINT entry
//    one ALTER TABLE; a GRANT one GRANT ... ON an object; and so on;
//  * no statement creates, alters, comments on or grants on an object
//    qualified with another schema, and none does what no schema object
//    needs (roles, databases, schemas, extensions, SET SCHEMA, OWNER TO).
// Each statement is then executed on its own through the extended query
// protocol (exec_entry_sql), which the server refuses to run with more than
// one statement in it: if this splitter ever sees one statement where the
// server sees two, the server says no instead of running the second.
#pragma once

#include <string>
#include <vector>

#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg {

// The statements of an entry's SQL, each without its terminating ';'
// (statements holding only spaces and comments are dropped).
std::vector<std::string> entry_statements(const std::string& sql);

// Throws Error(untrusted) naming the entry and what it does too much.
// `schema` is the schema the entries were exported from (catalog.schema).
void check_ddl_entry(const DdlEntry& entry, const std::string& schema);
void check_dump_set_ddl(const SchemaCatalog& catalog);

// Runs every statement of `sql` alone (one statement per protocol message).
void exec_entry_sql(Connection& conn, const std::string& sql);

}  // namespace dbclone::pg
