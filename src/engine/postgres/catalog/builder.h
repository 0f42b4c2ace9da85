// Internal to the catalog reader: the pieces each catalog_*.cpp adds to, and
// the helpers they share (grant and comment entries, fixing the qualified
// names some server deparsers always print).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/postgres/catalog/catalog.h"
#include "engine/postgres/libpq/connection.h"

namespace dbclone::pg::detail {

// Post-data groups: the order post-data entries are applied in.
enum PostGroup : int {
    kSequenceOwner = 10,
    kKeyConstraint = 20,
    kChildKeyConstraint = 21,
    // Views, materialized views and what depends on them that need a key
    // constraint first (a GROUP BY on a primary key), in dependency order.
    kDeferredView = 25,
    kIndex = 30,
    kChildIndex = 31,
    kIndexAttach = 35,
    kStatistics = 32,
    kClusterOn = 38,
    kForeignKey = 40,
    kTrigger = 50,
    kRule = 55,
    kPolicy = 56,
    kTableProperty = 57,
    kMatviewRefresh = 60,
    kComment = 70,
    kGrant = 80,
};

struct Builder {
    Connection& conn;
    std::string schema;
    SchemaCatalog catalog;
    std::map<std::string, std::string> table_keys;  // table oid -> "pg_class:oid"

    DdlEntry& pre(std::string kind, std::string name, std::string sql, std::string key);
    DdlEntry& post(std::string kind, std::string name, int group, std::string sql, std::string table = {});
    // COMMENT ON <object> IS '...' when comment is set.
    void comment(const std::string& object_sql, const std::string& label,
                 const std::optional<std::string>& comment);
    // GRANT entries from an aclexplode() JSON array; `revoke_public_default`
    // for object kinds whose default ACL grants PUBLIC (functions, types).
    void grants(const std::string& object_sql, const std::string& label,
                const std::optional<std::string>& grants_json, bool has_acl, bool revoke_public_default,
                const std::string& table = {});
};

// Replaces `qualified` by `replacement` at its first occurrence at or after
// position `from` in `text`; Error(internal) if it is not there (a deparser
// changed its output: better to stop than to create in the wrong schema).
std::string replace_after(const std::string& text, std::size_t from, const std::string& qualified,
                          const std::string& replacement, const std::string& what);

// Error(unsupported) naming every object of a kind dbclone cannot recreate.
void check_supported_objects(Builder& b);
// reg* column values naming the schema's objects (reg_columns.cpp).
void find_rows_naming_schema(Builder& b);
void read_extensions(Builder& b);  // extensions.cpp
void read_collations(Builder& b);
void read_text_search(Builder& b);
void read_operators(Builder& b);
void read_operator_classes(Builder& b);  // operator_classes.cpp
void read_statistics_objects(Builder& b);
void read_types(Builder& b);
void read_sequences(Builder& b);
void read_functions(Builder& b);
void read_tables(Builder& b);
void read_constraints(Builder& b);
void read_indexes(Builder& b);
void read_views(Builder& b);
void read_triggers_rules_policies(Builder& b);
void read_dependencies(Builder& b);
void read_sequence_values(Builder& b);
// The extensions the schema depends on (catalog/extensions.cpp).
void read_extension_uses(Builder& b);

}  // namespace dbclone::pg::detail
