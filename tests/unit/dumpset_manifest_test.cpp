#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "dumpset/manifest.h"
#include "store/filter/sha256.h"
#include "temp_store.h"

namespace dbclone::dumpset {

namespace {

Manifest sample() {
    Manifest m;
    m.tool_version = "0.1.0";
    m.server_version = "15.5";
    m.database = "shop";
    m.schema = "Mixed Case";
    m.created_at = "2026-11-26T04:30:00Z";
    m.snapshot = "00000003-0000001B-1";
    m.ddl_sha256 = Sha256::of("{}");
    m.objects = nlohmann::json::array({{{"kind", "table"}, {"name", "orders"}}});
    m.extra = {{"encoding", "UTF8"}};
    TableEntry t;
    t.key = "t0001";
    t.schema_name = "Mixed Case";
    t.name = "orders";
    t.columns = {"id", "note"};
    t.rows = 5;
    t.checksum = "00000000deadbeef";
    t.chunks.push_back({"data/t0001/000001.copy.zst", 100, Sha256::of("a"), 3, 300});
    t.chunks.push_back({"data/t0001/000002.copy.zst", 50, Sha256::of("b"), 2, 200});
    m.tables.push_back(t);
    TableEntry empty;
    empty.key = "t0002";
    empty.schema_name = "Mixed Case";
    empty.name = "empty";
    m.tables.push_back(empty);
    return m;
}

// The message of the corrupt_artefact error that parsing `j` gives.
std::string parse_error(const nlohmann::json& j) {
    try {
        manifest_from_json(j);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::corrupt_artefact) << e.message();
        return e.message();
    }
    ADD_FAILURE() << "no error for " << j.dump();
    return {};
}

}  // namespace

TEST(Manifest, JsonRoundTrip) {
    Manifest m = sample();
    nlohmann::json j = to_json(m);
    Manifest back = manifest_from_json(nlohmann::json::parse(j.dump()));
    EXPECT_EQ(to_json(back), j);
    EXPECT_EQ(back.schema, "Mixed Case");
    ASSERT_EQ(back.tables.size(), 2u);
    EXPECT_EQ(back.tables[0].chunks[1].raw_bytes, 200u);
    EXPECT_EQ(back.tables[0].columns, (std::vector<std::string>{"id", "note"}));
    EXPECT_TRUE(back.tables[1].chunks.empty());
    EXPECT_EQ(back.extra["encoding"], "UTF8");
}

TEST(Manifest, StrictAboutMissingAndMistypedFields) {
    nlohmann::json good = to_json(sample());

    auto j = good;
    j.erase("database");
    EXPECT_NE(parse_error(j).find("'database' is missing"), std::string::npos);

    j = good;
    j["tables"][0]["rows"] = "5";
    EXPECT_NE(parse_error(j).find("'tables[0].rows'"), std::string::npos);

    j = good;
    j["tables"][0]["rows"] = -1;
    EXPECT_NE(parse_error(j).find("'tables[0].rows'"), std::string::npos);

    j = good;
    j["tables"][0]["chunks"][1].erase("sha256");
    EXPECT_NE(parse_error(j).find("'tables[0].chunks[1].sha256' is missing"), std::string::npos);

    j = good;
    j["tables"][0]["chunks"][0]["sha256"] = "xyz";
    EXPECT_NE(parse_error(j).find("'tables[0].chunks[0].sha256'"), std::string::npos);

    j = good;
    j["tables"][0]["chunks"][0]["path"] = "../../etc/passwd";
    EXPECT_NE(parse_error(j).find("'tables[0].chunks[0].path'"), std::string::npos);

    j = good;
    j["tables"][0]["columns"][1] = 7;
    EXPECT_NE(parse_error(j).find("'tables[0].columns[1]'"), std::string::npos);

    j = good;
    j["tables"][1]["key"] = "t0001";
    EXPECT_NE(parse_error(j).find("'tables[1].key'"), std::string::npos);

    j = good;
    j["tables"][0]["rows"] = 6;  // chunks hold 5
    EXPECT_NE(parse_error(j).find("'tables[0].rows'"), std::string::npos);

    j = good;
    j["tables"] = nlohmann::json::object();
    EXPECT_NE(parse_error(j).find("'tables' is not an array"), std::string::npos);

    EXPECT_NE(parse_error(nlohmann::json::array()).find("not an object"), std::string::npos);
}

TEST(Manifest, NewerFormatIsUnsupported) {
    nlohmann::json j = to_json(sample());
    j["format_version"] = kManifestFormatVersion + 1;
    try {
        manifest_from_json(j);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::unsupported);
    }
}

TEST(Manifest, StoreRoundTripAndErrorsNameThePath) {
    test::TempStore temp;
    const std::string dir = "daily/shop/schema/public/20261126T043000Z";
    write_manifest(temp.store(), dir, sample());
    EXPECT_TRUE(temp.store().stat(dir + "/manifest.json"));
    EXPECT_EQ(to_json(read_manifest(temp.store(), dir)), to_json(sample()));

    auto expect_corrupt = [&](const std::string& d) {
        try {
            read_manifest(temp.store(), d);
            ADD_FAILURE() << "no error for " << d;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::corrupt_artefact) << e.message();
            EXPECT_NE(e.message().find(d + "/manifest.json"), std::string::npos) << e.message();
        }
    };
    expect_corrupt("missing");
    write_all(temp.store(), "broken/manifest.json", "{\"format_version\": 1,");
    expect_corrupt("broken");
    write_all(temp.store(), "partial/manifest.json", "{\"format_version\": 1}");
    expect_corrupt("partial");
}

}  // namespace dbclone::dumpset

namespace dbclone::dumpset {

TEST(Manifest, AnInvalidManifestIsNeverWritten) {
    test::TempStore temp;
    Manifest m;
    TableEntry t;
    t.key = "t0001";
    t.name = "lost_chunks";
    t.rows = 10;  // but no chunks
    m.tables.push_back(t);
    try {
        write_manifest(temp.store(), "d", m);
        FAIL() << "written";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::internal);
        EXPECT_NE(e.message().find("tables[0].rows"), std::string::npos) << e.message();
    }
    EXPECT_FALSE(temp.store().stat("d/manifest.json"));
}

}  // namespace dbclone::dumpset
