// The schema as dbclone sees it after reading the catalog: DDL entries
// (schema-independent: the schema's own objects are named unqualified and
// the entries are replayed with search_path = <target schema>, pg_catalog),
// the tables whose rows are copied, and sequence values. It is stored in the
// dump set as ddl.json and is what verify compares.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dbclone::pg {

enum class Section { pre_data, post_data };

struct DdlEntry {
    std::string kind;  // "TABLE", "INDEX", "FUNCTION", "CONSTRAINT", "GRANT", ...
    std::string name;  // unique within kind: "film", "film.film_pkey", "f(integer)"
    Section section = Section::pre_data;
    int group = 0;      // order among post-data entries (see ddl_order.h)
    std::string sql;    // one or more statements
    std::string table;  // the table the entry belongs to, if any
    // FOREIGN KEY: the referenced table when it is in the same schema (the
    // key can be added as soon as both tables are loaded and keyed).
    std::string references;
    std::string role;               // GRANT: the grantee (import skips grants to missing roles)
    std::string key;                // source catalog identity, "pg_class:16390" (ordering only)
    std::vector<std::string> deps;  // keys this entry needs first
    std::string body;               // FUNCTION: its source text (remap warnings)
    // A PRIMARY KEY or UNIQUE constraint that can also be built in two
    // steps with the same result: its unique index (CREATE UNIQUE INDEX
    // takes a SHARE lock, so verification can read the table meanwhile),
    // then the constraint on that index (ALTER TABLE ... USING INDEX, a
    // catalog change under ACCESS EXCLUSIVE). pg_dump -s and the pg_index,
    // pg_constraint and pg_depend rows were found identical either way on
    // PostgreSQL 13, 15 and 18. Empty for every other entry; `sql` stays
    // the one-statement definition (plans, resume checks, post-data).
    std::string key_index_sql;
    std::string key_attach_sql;
};

// A column whose values may be too big to pass through the client whole:
// bytea, text, varchar, json, jsonb or xml (or a domain over one) of a
// table with large values (kLargeValueToastBytes). Such values are read in
// pieces (data/large_values.h).
struct LargeValueColumn {
    std::string name;
    // "b" bytea, "t" text or varchar, "n" json, "j" jsonb, "x" xml
    // (catalog/sql/columns.sql piece_kind).
    std::string kind;
};

// A table whose TOAST relation holds at least this much may hold a value
// larger than a COPY row should be in client memory; below it, every value
// (compressed at most a few hundred times) stays small enough.
inline constexpr std::uint64_t kLargeValueToastBytes = 1024 * 1024;

struct TableData {
    std::string key;                   // stable id in the dump set: "t0001"
    std::string name;                  // table name inside the schema
    std::vector<std::string> columns;  // copied columns (not generated), in order
    std::uint64_t size_bytes = 0;      // on-disk size, to start big tables first
    // Columns read as ::text: xml's output function drops an XML declaration
    // that its text cast keeps.
    std::vector<std::string> text_columns{};
    // Every copied column's type travels exactly in COPY's binary format
    // (catalog/sql/columns.sql says which), and none is read as ::text.
    bool binary_capable = false;
    // This run moves and checksums the table's rows in binary: cheaper for
    // both servers (no text output and parsing of numbers, timestamps,
    // bytea). A clone and verify choose it; a dump set is COPY text.
    bool binary_copy = false;
    // Columns read in pieces (LargeValueColumn); empty for most tables.
    std::vector<LargeValueColumn> large_values{};
};

// Rows of every table that can go in binary do (clone, verify): a run's
// choice, the same on both sides, since it follows from the column types.
void use_binary_copy(std::vector<TableData>& tables);

struct SequenceValue {
    std::string name;
    std::string last_value;
    bool is_called = false;
};

struct SchemaGrant {
    std::string privilege;
    std::string grantee;  // a role name or PUBLIC
    bool grantable = false;
};

// ALTER DEFAULT PRIVILEGES FOR ROLE role IN SCHEMA <schema> GRANT privilege
// ON object_type TO grantee: what objects `role` creates in the schema later
// get. Applied to the target schema at the end, like schema_grants.
struct DefaultPrivilege {
    std::string role;
    std::string object_type;  // TABLES, SEQUENCES, FUNCTIONS, TYPES
    std::string privilege;
    std::string grantee;  // a role name or PUBLIC
    bool grantable = false;
};

// A security label on the schema itself (SECURITY LABEL FOR provider ON
// SCHEMA): set on the target schema under its own name. Labels on the
// schema's objects are entries (kind "SECURITY LABEL").
struct SchemaLabel {
    std::string provider;
    std::string label;
};

// An extension the schema's objects depend on, where the source has it
// (catalog/sql/extension_dependencies.sql): the DDL names its types,
// operators and functions qualified with that schema.
struct ExtensionUse {
    std::string name;
    std::string schema;
    std::string version;
};

struct SchemaCatalog {
    std::string schema;
    std::string comment;
    std::vector<SchemaGrant> schema_grants;              // applied to the target schema at the end
    std::vector<DefaultPrivilege> default_privileges{};  // likewise
    std::vector<SchemaLabel> schema_labels{};            // likewise
    std::vector<DdlEntry> entries;                       // in creation order
    std::vector<TableData> tables;                       // tables with rows (leaf tables)
    std::vector<SequenceValue> sequences;
    std::vector<std::string> warnings;     // e.g. function bodies naming the schema
    std::vector<ExtensionUse> extensions;  // the target needs them, in the same schemas
    // Table columns of reg* types whose rows name the schema's own objects
    // in a way a load cannot point at the copy's objects ("t.c (regclass, 2
    // value(s)): t_pkey is an index, built after the rows are loaded"): such
    // a load is refused (catalog/reg_columns.cpp, target/load_preflight.h).
    std::vector<std::string> rows_naming_schema{};
    // Columns whose values name only relations of the schema that a new copy
    // creates after the rows (an index, a view that waits for a key), by
    // column label, with those relations as the source prints them. A load
    // into the target's existing tables (refresh) finds them already there
    // and takes the values, once it has checked each one stands in the
    // target schema; any other load refuses them, as rows_naming_schema
    // (target/load_preflight.h).
    std::map<std::string, std::vector<std::string>> rows_naming_later_relations{};
    // The columns whose values name the schema's own objects and load as the
    // copy's (the report lists them).
    std::vector<std::string> reg_values_remapped{};
    // Rows were read with search_path = the schema, so such values are
    // unqualified. False in dump sets of earlier versions: their
    // rows_naming_schema lists every such column, all refused.
    bool reg_values_relative = false;
};

nlohmann::json to_json(const SchemaCatalog& catalog);
SchemaCatalog catalog_from_json(const nlohmann::json& json);

// "TABLE film" style labels for messages and the inventory.
std::string entry_label(const DdlEntry& entry);

}  // namespace dbclone::pg
