// Bad input: a clear one-line error, the documented exit code, nothing lost.
// docs/CLI.md: 3 connection, 4 authentication, 5 not found, 6 target exists,
// 7 corrupt artefact.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "engine/postgres/libpq/quote.h"
#include "harness.h"

namespace dbclone::test {
namespace {

constexpr int kExitConnection = 3;
constexpr int kExitAuthentication = 4;
constexpr int kExitNotFound = 5;
constexpr int kExitTargetExists = 6;
constexpr int kExitCorrupt = 7;

// Unusual enough that finding it anywhere means it leaked.
constexpr const char* kPassword = "Zq7-S3cret-pw_41xk";
constexpr const char* kWrongPassword = "Wr0ng-pw_93jd";

void expect_error_line(const DbcloneResult& r) {
    EXPECT_NE(r.err.find("dbclone: error: "), std::string::npos)
        << "errors are one line on stderr" << describe(r);
}

// Chunks are the data files of a dump set: not the manifest, DDL or log.
std::vector<std::filesystem::path> chunk_files(const std::filesystem::path& store) {
    std::vector<std::filesystem::path> out;
    for (const auto& f : find_files(store, "")) {
        auto name = f.filename().string();
        if (name.find("manifest") != std::string::npos || name.find(".sql") != std::string::npos ||
            name.find(".log") != std::string::npos || name.find("ddl") != std::string::npos ||
            name.find(".json") != std::string::npos)
            continue;
        out.push_back(f);
    }
    return out;
}

class BadInput : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        try {
            auth_ = EmbeddedCluster::start({.dir = Harness::get().new_dir("auth-server") / "cluster",
                                            .name = "auth",
                                            .auth_method = "scram-sha-256",
                                            .superuser_password = kPassword});
            auth_->run_sql("postgres",
                           "CREATE SCHEMA secret_s; CREATE TABLE secret_s.t (id int PRIMARY KEY, v text);"
                           "INSERT INTO secret_s.t SELECT g, 'v' || g FROM generate_series(1, 10) g;");
        } catch (const std::exception& e) {
            auth_error_ = e.what();
        }
    }
    static void TearDownTestSuite() {
        if (auth_ && !::testing::UnitTest::GetInstance()->Passed()) auth_->set_keep_on_stop(true);
        auth_.reset();
    }
    // The auth server's conninfo without a password; with one when asked.
    static std::string auth_conninfo(const std::string& password = {}) {
        auto c = auth_->conninfo();
        if (!password.empty()) c += " password=" + conninfo_value(password);
        return c;
    }

    static std::unique_ptr<EmbeddedCluster> auth_;
    static std::string auth_error_;
};
std::unique_ptr<EmbeddedCluster> BadInput::auth_;
std::string BadInput::auth_error_;

TEST_F(BadInput, UnreachableServerExits3) {
    auto& h = Harness::get();
    auto store = h.new_dir("store-unreachable");
    auto r = run_dbclone({"export", "host=127.0.0.1 port=1 dbname=src connect_timeout=5", "--schema", "shop",
                          "--store", file_url(store)});
    EXPECT_EQ(r.exit_code, kExitConnection) << describe(r);
    expect_error_line(r);

    DBCLONE_REQUIRE_FIXTURE("demo");
    auto missing_socket =
        run_dbclone({"clone", h.source_conninfo(), "host=/nonexistent/socket/dir port=5432 dbname=x",
                     "--schema", "shop:x"});
    EXPECT_EQ(missing_socket.exit_code, kExitConnection) << describe(missing_socket);
}

TEST_F(BadInput, WrongPasswordExits4) {
    ASSERT_TRUE(auth_) << auth_error_;
    auto store = Harness::get().new_dir("store-wrong-pw");
    auto env_pw = run_dbclone({"export", auth_conninfo(), "--schema", "secret_s", "--store", file_url(store)},
                              {{"PGPASSWORD", kWrongPassword}});
    EXPECT_EQ(env_pw.exit_code, kExitAuthentication) << describe(env_pw);
    expect_error_line(env_pw);

    auto inline_pw = run_dbclone(
        {"export", auth_conninfo(kWrongPassword), "--schema", "secret_s", "--store", file_url(store)});
    EXPECT_EQ(inline_pw.exit_code, kExitAuthentication) << describe(inline_pw);
    for (const auto& r : {env_pw, inline_pw}) {
        EXPECT_EQ(r.out.find(kWrongPassword), std::string::npos) << "password in stdout" << describe(r);
        EXPECT_EQ(r.err.find(kWrongPassword), std::string::npos) << "password in stderr" << describe(r);
    }
}

// Connections honour libpq's own files: a service file names the server, a
// password file gives the password; without that file the same command
// cannot authenticate.
TEST_F(BadInput, ServiceAndPasswordFilesAreHonoured) {
    ASSERT_TRUE(auth_) << auth_error_;
    auto dir = Harness::get().new_dir("libpq-files");
    auto pgpass = dir / "pgpass";
    std::ofstream(pgpass) << "*:" << auth_->port() << ":*:postgres:" << kPassword << "\n";
    std::filesystem::permissions(pgpass,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto services = dir / "services";
    std::ofstream(services) << "[authsrv]\nhost=" << auth_->socket_dir().string()
                            << "\nport=" << auth_->port() << "\nuser=postgres\ndbname=postgres\n";
    const std::vector<std::string> args{"verify", "service=authsrv", "service=authsrv", "--schema",
                                        "secret_s"};
    auto ok = run_dbclone(args, {{"PGSERVICEFILE", services.string()}, {"PGPASSFILE", pgpass.string()}});
    EXPECT_EQ(ok.exit_code, 0) << describe(ok);
    auto no_pass =
        run_dbclone(args, {{"PGSERVICEFILE", services.string()}, {"PGPASSFILE", (dir / "none").string()}});
    EXPECT_EQ(no_pass.exit_code, kExitAuthentication) << describe(no_pass);
    for (const auto& r : {ok, no_pass})
        EXPECT_EQ((r.out + r.err).find(kPassword), std::string::npos) << describe(r);
}

TEST_F(BadInput, MissingSourceSchemaExits5) {
    DBCLONE_REQUIRE_FIXTURE("servers");
    auto& h = Harness::get();
    auto store = h.new_dir("store-missing-schema");
    auto ex = run_dbclone(
        {"export", h.source_conninfo(), "--schema", "no_such_schema", "--store", file_url(store)});
    EXPECT_EQ(ex.exit_code, kExitNotFound) << describe(ex);
    EXPECT_NE(ex.err.find("no_such_schema"), std::string::npos) << describe(ex);
    expect_error_line(ex);

    auto db = h.new_target_db("missing_schema");
    auto cl =
        run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "no_such_schema:x"});
    EXPECT_EQ(cl.exit_code, kExitNotFound) << describe(cl);
    EXPECT_FALSE(schema_exists(h.target(), db, "x"));

    auto im = run_dbclone(
        {"import", h.target_conninfo(db), "--store", file_url(store), "--schema", "no_such_schema:x"});
    EXPECT_EQ(im.exit_code, kExitNotFound) << "no dump set of that schema in the store" << describe(im);
}

TEST_F(BadInput, ExistingTargetSchemaExits6AndIsLeftAlone) {
    DBCLONE_REQUIRE_FIXTURE("demo");
    auto& h = Harness::get();
    auto db = h.new_target_db("target_exists");
    h.target().run_sql(db,
                       "CREATE SCHEMA shop_exists; CREATE TABLE shop_exists.keepme (v text);"
                       "INSERT INTO shop_exists.keepme VALUES ('precious');");
    auto cl =
        run_dbclone({"clone", h.source_conninfo(), h.target_conninfo(db), "--schema", "shop:shop_exists"});
    EXPECT_EQ(cl.exit_code, kExitTargetExists) << describe(cl);
    expect_error_line(cl);

    auto store = h.new_dir("store-target-exists");
    auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", "shop", "--store", file_url(store)});
    EXPECT_EQ(ex.exit_code, 0) << describe(ex);
    auto im = run_dbclone(
        {"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema", "shop:shop_exists"});
    EXPECT_EQ(im.exit_code, kExitTargetExists) << describe(im);

    EXPECT_EQ(h.target().query_value(db, "SELECT string_agg(v, ',') FROM shop_exists.keepme"), "precious");
    EXPECT_EQ(h.target().query_value(
                  db,
                  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE n.nspname = 'shop_exists'"),
              "1")
        << "nothing may be added to an existing target schema without --table-exists-action";
}

TEST_F(BadInput, CorruptManifestExits7) {
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto& h = Harness::get();
    auto store = h.new_dir("store-corrupt-manifest");
    auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", kTea, "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    auto manifests = find_files(store, "manifest");
    ASSERT_FALSE(manifests.empty()) << "no manifest under " << store;
    for (const auto& m : manifests) std::ofstream(m, std::ios::trunc) << "{ \"this is\": not a manifest";

    auto db = h.new_target_db("corrupt_manifest");
    auto im = run_dbclone(
        {"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema", "tea:tea_bad"});
    EXPECT_EQ(im.exit_code, kExitCorrupt) << describe(im);
    expect_error_line(im);
    expect_no_complete_schema(h.target(), db, "tea_bad");
}

TEST_F(BadInput, FlippedChunkByteExits7NamingTheChunk) {
    DBCLONE_REQUIRE_FIXTURE("tea");
    auto& h = Harness::get();
    auto store = h.new_dir("store-flipped-chunk");
    auto ex = run_dbclone({"export", h.source_conninfo(), "--schema", kTea, "--store", file_url(store)});
    ASSERT_EQ(ex.exit_code, 0) << describe(ex);
    auto chunks = chunk_files(store);
    ASSERT_FALSE(chunks.empty()) << "no data chunks found under " << store;
    // The biggest chunk: most likely read after some tables already loaded.
    auto victim = *std::max_element(chunks.begin(), chunks.end(), [](const auto& a, const auto& b) {
        return std::filesystem::file_size(a) < std::filesystem::file_size(b);
    });
    {
        std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
        auto pos = static_cast<std::streamoff>(std::filesystem::file_size(victim) / 2);
        f.seekg(pos);
        char c = 0;
        f.get(c);
        f.seekp(pos);
        f.put(static_cast<char>(c ^ 0x5A));
    }
    auto db = h.new_target_db("flipped_chunk");
    auto im = run_dbclone(
        {"import", h.target_conninfo(db), "--store", file_url(store), "--remap-schema", "tea:tea_flip"});
    EXPECT_EQ(im.exit_code, kExitCorrupt) << describe(im);
    // Chunk file names repeat per table: the error must name the table's directory too.
    auto named = (victim.parent_path().filename() / victim.filename()).string();
    EXPECT_NE(im.err.find(named), std::string::npos)
        << "the error must name the chunk " << victim << describe(im);
    expect_no_complete_schema(h.target(), db, "tea_flip");
}

TEST_F(BadInput, PasswordNeverAppearsInOutputOrArtefacts) {
    ASSERT_TRUE(auth_) << auth_error_;
    auto& h = Harness::get();
    auto store = h.new_dir("store-secret");
    std::vector<DbcloneResult> runs;
    // Password inline in a keyword string, in a URI, in PGPASSWORD, in DBCLONE_SOURCE.
    runs.push_back(run_dbclone(
        {"-v", "export", auth_conninfo(kPassword), "--schema", "secret_s", "--store", file_url(store)}));
    EXPECT_EQ(runs.back().exit_code, 0) << describe(runs.back());
    std::string uri = "postgresql://postgres:" + std::string(kPassword) +
                      "@/postgres?host=" + auth_->socket_dir().string() +
                      "&port=" + std::to_string(auth_->port());
    runs.push_back(run_dbclone(
        {"-v", "import", uri, "--store", file_url(store), "--remap-schema", "secret_s:secret_copy"}));
    EXPECT_EQ(runs.back().exit_code, 0) << describe(runs.back());
    runs.push_back(
        run_dbclone({"verify", auth_conninfo(), auth_conninfo(), "--schema", "secret_s:secret_copy"},
                    {{"PGPASSWORD", kPassword}}));
    EXPECT_EQ(runs.back().exit_code, 0) << describe(runs.back());
    // Dump set directories are named to the second: a second export goes to its own store.
    auto store_b = h.new_dir("store-secret-b");
    runs.push_back(run_dbclone({"export", "-", "--schema", "secret_s", "--store", file_url(store_b)},
                               {{"DBCLONE_SOURCE", auth_conninfo(kPassword)}}));
    EXPECT_EQ(runs.back().exit_code, 0) << describe(runs.back());
    // Errors too: a failing run must not echo the connection string with its password.
    runs.push_back(run_dbclone({"-v", "export", auth_conninfo(kPassword), "--schema", "no_such_schema",
                                "--store", file_url(store_b)}));
    EXPECT_EQ(runs.back().exit_code, kExitNotFound) << describe(runs.back());
    std::string unreachable =
        "postgresql://postgres:" + std::string(kPassword) + "@127.0.0.1:1/postgres?connect_timeout=3";
    runs.push_back(
        run_dbclone({"-v", "clone", auth_conninfo(kPassword), unreachable, "--schema", "secret_s:x"}));
    EXPECT_NE(runs.back().exit_code, 0) << describe(runs.back());

    for (const auto& r : runs) {
        EXPECT_EQ(r.out.find(kPassword), std::string::npos) << "password in stdout" << describe(r);
        EXPECT_EQ(r.err.find(kPassword), std::string::npos) << "password in stderr" << describe(r);
    }
    auto files = find_files(store, "");
    EXPECT_FALSE(files.empty()) << "the exports wrote nothing";
    auto files_b = find_files(store_b, "");
    files.insert(files.end(), files_b.begin(), files_b.end());
    auto state = find_files(h.work_dir() / "state", "");
    files.insert(files.end(), state.begin(), state.end());
    for (const auto& f : files)
        EXPECT_EQ(read_file(f).find(kPassword), std::string::npos) << "password in " << f;
}

}  // namespace
}  // namespace dbclone::test
