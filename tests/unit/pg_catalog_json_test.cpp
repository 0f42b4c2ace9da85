// ddl.json carries what a dump set's import needs of each entry; a key's
// two-step form (DdlEntry::key_index_sql) is optional: dump sets written
// before it build their keys in one statement.
#include <gtest/gtest.h>

#include "engine/postgres/catalog/catalog.h"

namespace dbclone::pg {
namespace {

SchemaCatalog catalog_with_key(const std::string& index_sql, const std::string& attach_sql) {
    SchemaCatalog c;
    c.schema = "s";
    DdlEntry e;
    e.kind = "CONSTRAINT";
    e.name = "t.t_pkey";
    e.section = Section::post_data;
    e.sql = "ALTER TABLE ONLY \"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY (id)";
    e.table = "t";
    e.key_index_sql = index_sql;
    e.key_attach_sql = attach_sql;
    c.entries.push_back(e);
    return c;
}

TEST(CatalogJson, AKeysTwoStepFormTravelsThroughDdlJson) {
    const auto back = catalog_from_json(to_json(catalog_with_key(
        "CREATE UNIQUE INDEX \"t_pkey\" ON \"t\" USING btree (id)",
        "ALTER TABLE ONLY \"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY USING INDEX \"t_pkey\"")));
    ASSERT_EQ(back.entries.size(), 1U);
    EXPECT_EQ(back.entries[0].key_index_sql, "CREATE UNIQUE INDEX \"t_pkey\" ON \"t\" USING btree (id)");
    EXPECT_EQ(back.entries[0].key_attach_sql,
              "ALTER TABLE ONLY \"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY USING INDEX \"t_pkey\"");
}

TEST(CatalogJson, AnEntryWithoutATwoStepFormHasNoneAfterTheRoundTrip) {
    auto json = to_json(catalog_with_key("", ""));
    EXPECT_FALSE(json["entries"][0].contains("key_index_sql"));
    const auto back = catalog_from_json(json);
    EXPECT_TRUE(back.entries[0].key_index_sql.empty());
    EXPECT_TRUE(back.entries[0].key_attach_sql.empty());
}

}  // namespace
}  // namespace dbclone::pg
