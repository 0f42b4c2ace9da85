// A dump set is not executable: whoever can write the store cannot run SQL of
// their choice as the importing role. ddl.json edited with its sha256
// recomputed in the manifest (the attack of issue 12: a second statement
// appended to an entry) is refused before the target is touched (exit 15);
// and with --verify-key only a dump set signed by the matching Ed25519 key is
// imported at all (--sign-key on export).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "embedded/subprocess.h"
#include "harness.h"
#include "store/filter/sha256.h"

namespace dbclone::test {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitSql = 9;
constexpr int kExitUntrusted = 15;

std::string sha256_hex(const std::string& text) {
    Sha256 sha;
    sha.update(text.data(), text.size());
    return sha.hex_digest();
}

void write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

class UntrustedDumpSet : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto& h = Harness::get();
        if (!h.fixture_error("demo").empty()) return;
        keys_ = new std::filesystem::path(h.new_dir("signing-keys"));
        auto genkey = [](const std::filesystem::path& out) {
            return run_subprocess({"openssl", "genpkey", "-algorithm", "ed25519", "-out", out.string()});
        };
        auto pubkey = [](const std::filesystem::path& in, const std::filesystem::path& out) {
            return run_subprocess({"openssl", "pkey", "-in", in.string(), "-pubout", "-out", out.string()});
        };
        keys_ok_ = genkey(*keys_ / "key.pem").exit_code == 0 && genkey(*keys_ / "other.pem").exit_code == 0 &&
                   pubkey(*keys_ / "key.pem", *keys_ / "key.pub.pem").exit_code == 0 &&
                   pubkey(*keys_ / "other.pem", *keys_ / "other.pub.pem").exit_code == 0;
        signed_ = new std::filesystem::path(h.new_dir("store-signed-pristine"));
        auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", kDemo, "--store",
                               file_url(*signed_), "--sign-key", (*keys_ / "key.pem").string()});
        export_ok_ = ex.exit_code == 0;
        export_error_ = describe(ex);
    }
    static void TearDownTestSuite() {
        delete keys_;
        delete signed_;
        keys_ = signed_ = nullptr;
    }

    void SetUp() override {
        DBCLONE_REQUIRE_FIXTURE("demo");
        ASSERT_TRUE(keys_ok_) << "openssl could not create Ed25519 keys";
        ASSERT_TRUE(export_ok_) << export_error_;
        auto& h = Harness::get();
        store_ = h.new_dir("store-untrusted");
        std::filesystem::copy(*signed_, store_, std::filesystem::copy_options::recursive);
        auto manifests = find_files(store_, "manifest.json");
        ASSERT_EQ(manifests.size(), 2u) << "manifest.json and manifest.json.sig";
        set_dir_ = store_;
        for (const auto& m : manifests)
            if (m.filename() == "manifest.json") set_dir_ = m.parent_path();
        // A canary in another schema of the target: the attacks aim at it.
        db_ = h.new_target_db("untrusted");
        Harness::run_sql_as_app(h.target(), db_,
                                "CREATE SCHEMA victim; CREATE TABLE victim.keep (v text); "
                                "INSERT INTO victim.keep VALUES ('precious')");
        before_ = target_objects(db_);
    }

    nlohmann::json ddl() const { return nlohmann::json::parse(read_file(set_dir_ / "ddl.json")); }

    // Writes ddl.json and, as an attacker who can write the store would, its
    // sha256 into the manifest.
    void write_ddl_with_sha(const nlohmann::json& ddl) const {
        const auto text = ddl.dump(1);
        write(set_dir_ / "ddl.json", text);
        auto m = nlohmann::json::parse(read_file(set_dir_ / "manifest.json"));
        m["ddl_sha256"] = sha256_hex(text);
        write(set_dir_ / "manifest.json", m.dump(2) + "\n");
    }

    // The first entry of `kind` in ddl.json.
    static nlohmann::json& entry(nlohmann::json& ddl, const std::string& kind) {
        for (auto& e : ddl["entries"])
            if (e["kind"] == kind) return e;
        throw std::runtime_error("the demo dump set has no " + kind + " entry");
    }

    DbcloneResult import(const std::vector<std::string>& extra = {}) const {
        auto& h = Harness::get();
        std::vector<std::string> args = {"import",         h.target_conninfo(db_),
                                         "--store",        file_url(store_),
                                         "--remap-schema", std::string(kDemo) + ":shop_untrusted"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_dbclone(args);
    }

    void expect_canary_intact() const {
        EXPECT_EQ(Harness::get().target().query_value(db_, "SELECT string_agg(v, ',') FROM victim.keep"),
                  "precious");
    }
    void expect_untouched(const DbcloneResult& r) const {
        expect_canary_intact();
        EXPECT_EQ(target_objects(db_), before_) << "the target was touched" << describe(r);
    }
    void expect_refused(const std::string& why) const {
        auto r = import();
        EXPECT_EQ(r.exit_code, kExitUntrusted) << describe(r);
        EXPECT_NE(r.err.find(why), std::string::npos) << "expected: " << why << describe(r);
        expect_untouched(r);
    }

    std::string key(const char* name) const { return (*keys_ / name).string(); }

    std::filesystem::path store_, set_dir_;
    std::string db_, before_;
    static inline std::filesystem::path* keys_ = nullptr;
    static inline std::filesystem::path* signed_ = nullptr;
    static inline bool keys_ok_ = false, export_ok_ = false;
    static inline std::string export_error_;
};

// The attack of issue 12: a second statement appended to an entry.
TEST_F(UntrustedDumpSet, SecondStatementAppendedToAnEntry) {
    auto d = ddl();
    entry(d, "TABLE")["sql"] = entry(d, "TABLE")["sql"].get<std::string>() + ";\nDROP TABLE victim.keep";
    write_ddl_with_sha(d);
    expect_refused("runs DROP");
}

TEST_F(UntrustedDumpSet, StatementOfAnotherKind) {
    auto d = ddl();
    entry(d, "COMMENT")["sql"] = "DO $$BEGIN DELETE FROM victim.keep; END$$";
    write_ddl_with_sha(d);
    expect_refused("runs DO");
}

TEST_F(UntrustedDumpSet, EntryKindAndStatementDisagree) {
    auto d = ddl();
    entry(d, "INDEX")["sql"] = "ALTER TABLE victim.keep RENAME TO gone";
    write_ddl_with_sha(d);
    expect_refused("is a INDEX entry but its statement is ALTER TABLE");
}

TEST_F(UntrustedDumpSet, ObjectOfAnotherSchema) {
    auto d = ddl();
    auto& table = entry(d, "TABLE");
    table["sql"] =
        table["sql"].get<std::string>() + ";\nALTER TABLE ONLY victim.keep ALTER COLUMN v SET DEFAULT 'x'";
    write_ddl_with_sha(d);
    expect_refused("outside the dump set's schema");
}

TEST_F(UntrustedDumpSet, IndexOnATableOfAnotherSchema) {
    auto d = ddl();
    entry(d, "INDEX")["sql"] = "CREATE INDEX ON victim.keep (v)";
    write_ddl_with_sha(d);
    expect_refused("outside the dump set's schema");
}

TEST_F(UntrustedDumpSet, RoleGrantedInsteadOfAPrivilege) {
    auto d = ddl();
    entry(d, "GRANT")["sql"] = "GRANT pg_read_server_files TO PUBLIC";
    write_ddl_with_sha(d);
    expect_refused("grants a role");
}

TEST_F(UntrustedDumpSet, SchemaGrantWithAStatementInItsPrivilege) {
    auto d = ddl();
    d["schema_grants"].push_back(
        {{"privilege", "USAGE ON SCHEMA victim TO PUBLIC; DROP TABLE victim.keep; GRANT USAGE"},
         {"grantee", "PUBLIC"},
         {"grantable", false}});
    write_ddl_with_sha(d);
    expect_refused("not a schema privilege");
}

// A body the splitter reads as unfinished (a column labelled "case" inside
// BEGIN ATOMIC): it sees one statement where the server sees two. Each piece
// goes to the server alone through the extended protocol, which refuses more
// than one statement: the run fails, the DROP never runs.
TEST_F(UntrustedDumpSet, SplitterFooledTheServerStillRunsOneStatement) {
    auto d = ddl();
    auto& fn = entry(d, "FUNCTION");
    const std::string name = "dbclone_probe_fn";
    fn["sql"] = "CREATE FUNCTION " + name +
                "() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT 1 AS case; END;\nDROP TABLE victim.keep";
    write_ddl_with_sha(d);
    auto r = import();
    EXPECT_NE(r.exit_code, 0) << describe(r);
    EXPECT_TRUE(r.exit_code == kExitSql || r.exit_code == kExitUntrusted) << describe(r);
    expect_canary_intact();
}

TEST_F(UntrustedDumpSet, SignedSetImportsWithItsKey) {
    auto r = import({"--verify-key", key("key.pub.pem")});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    auto& h = Harness::get();
    EXPECT_EQ(table_checksums(h.target(), db_, "shop_untrusted"),
              table_checksums(h.source(), kSourceDb, kDemo));
    expect_canary_intact();
}

TEST_F(UntrustedDumpSet, SignedSetEditedAfterSigningIsRefused) {
    auto d = ddl();
    entry(d, "TABLE")["sql"] = entry(d, "TABLE")["sql"].get<std::string>() + ";\nDROP TABLE victim.keep";
    write_ddl_with_sha(d);
    auto r = import({"--verify-key", key("key.pub.pem")});
    EXPECT_EQ(r.exit_code, kExitUntrusted) << describe(r);
    EXPECT_NE(r.err.find("does not match its manifest"), std::string::npos) << describe(r);
    expect_untouched(r);
}

TEST_F(UntrustedDumpSet, SetSignedByAnotherKeyIsRefused) {
    auto r = import({"--verify-key", key("other.pub.pem")});
    EXPECT_EQ(r.exit_code, kExitUntrusted) << describe(r);
    EXPECT_NE(r.err.find("signed by another key"), std::string::npos) << describe(r);
    expect_untouched(r);
}

TEST_F(UntrustedDumpSet, UnsignedSetIsRefusedWhenAKeyIsGiven) {
    std::filesystem::remove(set_dir_ / "manifest.json.sig");
    auto r = import({"--verify-key", key("key.pub.pem")});
    EXPECT_EQ(r.exit_code, kExitUntrusted) << describe(r);
    EXPECT_NE(r.err.find("is not signed"), std::string::npos) << describe(r);
    expect_untouched(r);
}

TEST_F(UntrustedDumpSet, ForgedSignatureIsRefused) {
    auto sig = nlohmann::json::parse(read_file(set_dir_ / "manifest.json.sig"));
    std::string s = sig["signature"];
    s[10] = s[10] == 'a' ? 'b' : 'a';
    sig["signature"] = s;
    write(set_dir_ / "manifest.json.sig", sig.dump(2));
    auto r = import({"--verify-key", key("key.pub.pem")});
    EXPECT_EQ(r.exit_code, kExitUntrusted) << describe(r);
    expect_untouched(r);
}

TEST_F(UntrustedDumpSet, SignKeyThatIsNoKeyStopsTheExportFirst) {
    auto& h = Harness::get();
    auto store = h.new_dir("store-badkey");
    write(store / "not-a-key.pem", "hello");
    auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", kDemo, "--store", file_url(store),
                           "--sign-key", (store / "not-a-key.pem").string()});
    EXPECT_EQ(ex.exit_code, kExitUsage) << describe(ex);
    EXPECT_TRUE(find_files(store, "manifest.json").empty()) << "no dump set may be written";
    // A public key cannot sign either.
    auto pub = run_dbclone({"export", h.source_conninfo(), "--schema", kDemo, "--store", file_url(store),
                            "--sign-key", key("key.pub.pem")});
    EXPECT_EQ(pub.exit_code, kExitUsage) << describe(pub);
}

}  // namespace
}  // namespace dbclone::test
