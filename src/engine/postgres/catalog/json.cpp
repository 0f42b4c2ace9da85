#include <fmt/format.h>

#include "core/error.h"
#include "engine/postgres/catalog/catalog.h"

namespace dbclone::pg {

// Field mappings of the plain catalog structs (every field required, as
// ddl.json has always written them).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SequenceValue, name, last_value, is_called)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SchemaGrant, privilege, grantee, grantable)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExtensionUse, name, schema, version)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DefaultPrivilege, role, object_type, privilege, grantee, grantable)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SchemaLabel, provider, label)

std::string entry_label(const DdlEntry& entry) {
    return entry.kind + " " + entry.name;
}

nlohmann::json to_json(const SchemaCatalog& c) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : c.entries) {
        nlohmann::json j = {{"kind", e.kind},
                            {"name", e.name},
                            {"section", e.section == Section::pre_data ? "pre-data" : "post-data"},
                            {"group", e.group},
                            {"sql", e.sql}};
        if (!e.table.empty()) j["table"] = e.table;
        if (!e.references.empty()) j["references"] = e.references;
        if (!e.role.empty()) j["role"] = e.role;
        if (!e.body.empty()) j["body"] = e.body;
        if (!e.key_index_sql.empty()) {
            j["key_index_sql"] = e.key_index_sql;
            j["key_attach_sql"] = e.key_attach_sql;
        }
        entries.push_back(std::move(j));
    }
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& t : c.tables) {
        nlohmann::json large = nlohmann::json::array();
        for (const auto& l : t.large_values) large.push_back({{"name", l.name}, {"kind", l.kind}});
        tables.push_back({{"key", t.key},
                          {"name", t.name},
                          {"columns", t.columns},
                          {"size_bytes", t.size_bytes},
                          {"text_columns", t.text_columns},
                          {"large_values", large}});
    }
    return {{"schema", c.schema},
            {"comment", c.comment},
            {"schema_grants", c.schema_grants},
            {"default_privileges", c.default_privileges},
            {"schema_labels", c.schema_labels},
            {"entries", entries},
            {"tables", tables},
            {"sequences", c.sequences},
            {"warnings", c.warnings},
            {"extensions", c.extensions},
            {"rows_naming_schema", c.rows_naming_schema},
            {"rows_naming_later_relations", c.rows_naming_later_relations},
            {"reg_values_remapped", c.reg_values_remapped},
            {"reg_values_relative", c.reg_values_relative}};
}

SchemaCatalog catalog_from_json(const nlohmann::json& j) {
    try {
        SchemaCatalog c;
        c.schema = j.at("schema").get<std::string>();
        c.comment = j.value("comment", "");
        c.schema_grants = j.value("schema_grants", std::vector<SchemaGrant>{});
        // Absent in dump sets written before default privileges were read.
        c.default_privileges = j.value("default_privileges", std::vector<DefaultPrivilege>{});
        // Absent in dump sets written before security labels were copied.
        c.schema_labels = j.value("schema_labels", std::vector<SchemaLabel>{});
        for (const auto& e : j.at("entries")) {
            DdlEntry d;
            d.kind = e.at("kind").get<std::string>();
            d.name = e.at("name").get<std::string>();
            auto section = e.at("section").get<std::string>();
            if (section != "pre-data" && section != "post-data")
                throw Error(ErrorKind::corrupt_artefact, "unknown section " + section);
            d.section = section == "pre-data" ? Section::pre_data : Section::post_data;
            d.group = e.value("group", 0);
            d.sql = e.at("sql").get<std::string>();
            d.table = e.value("table", "");
            d.references = e.value("references", "");  // absent in older dump sets: keys wait for post-data
            d.role = e.value("role", "");
            d.body = e.value("body", "");
            // Absent in dump sets written before: such keys are built in one statement.
            d.key_index_sql = e.value("key_index_sql", "");
            d.key_attach_sql = e.value("key_attach_sql", "");
            c.entries.push_back(std::move(d));
        }
        for (const auto& t : j.at("tables")) {
            // Absent in dump sets written before large values were read in pieces.
            std::vector<LargeValueColumn> large;
            for (const auto& l : t.value("large_values", nlohmann::json::array()))
                large.push_back({l.at("name").get<std::string>(), l.at("kind").get<std::string>()});
            c.tables.push_back({t.at("key").get<std::string>(), t.at("name").get<std::string>(),
                                t.at("columns").get<std::vector<std::string>>(), t.value("size_bytes", 0ULL),
                                t.value("text_columns", std::vector<std::string>{}), false, false,
                                std::move(large)});
        }
        c.sequences = j.at("sequences").get<std::vector<SequenceValue>>();
        c.warnings = j.value("warnings", std::vector<std::string>{});
        // Absent in dump sets written before extensions were recorded.
        c.extensions = j.value("extensions", std::vector<ExtensionUse>{});
        c.rows_naming_schema = j.value("rows_naming_schema", std::vector<std::string>{});
        // Absent in dump sets written before: their index references are in rows_naming_schema.
        c.rows_naming_later_relations =
            j.value("rows_naming_later_relations", std::map<std::string, std::vector<std::string>>{});
        c.reg_values_remapped = j.value("reg_values_remapped", std::vector<std::string>{});
        c.reg_values_relative = j.value("reg_values_relative", false);
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::corrupt_artefact,
                    fmt::format("ddl.json is not a valid dbclone catalog: {}", e.what()));
    }
}

}  // namespace dbclone::pg
