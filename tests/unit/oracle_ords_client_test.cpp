// The ORDS REST-Enabled SQL client against the local test server: request
// shape, rows, out binds, per-statement errors, paging, authentication
// (Basic and OAuth2), HTTP failures and a timeout.
#include <gtest/gtest.h>

#include "engine/oracle/ords/https_post.h"
#include "engine/oracle/ords/ords_client.h"
#include "oracle/ords_test_server.h"

namespace dbclone::oracle::test {
namespace {

OrdsConfig config_for(const OrdsTestServer& server) {
    OrdsConfig c;
    c.base_url = server.base_url();
    c.user = "ADMIN";
    c.secret = "Sup3r-Secret-Pw";
    c.label = "source";
    c.http.timeout_seconds = 5;
    return c;
}

TEST(OracleOrdsClient, SendsStatementAndBindsAsJsonAndParsesRows) {
    OrdsTestServer server;
    server.on("FROM all_objects", [](const Received& r, int) {
        return query_reply(r.statement(), {{{"object_type", "PACKAGE BODY"}, {"n", 2}}});
    });
    OrdsClient client(config_for(server));
    auto rows = client.query(
        {"SELECT object_type, COUNT(*) n FROM all_objects WHERE owner = :own GROUP BY object_type",
         {{"own", "APPSCHEMA"}}});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["object_type"], "PACKAGE BODY");
    EXPECT_EQ(rows[0]["n"], 2);

    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].path, "/ords/admin/_/sql");
    EXPECT_EQ(reqs[0].content_type, "application/json");
    EXPECT_EQ(reqs[0].authorization, "Basic " + base64("ADMIN:Sup3r-Secret-Pw"));
    nlohmann::json expected_binds =
        nlohmann::json::parse(R"([{"name":"own","data_type":"VARCHAR2","value":"APPSCHEMA"}])");
    EXPECT_EQ(reqs[0].body["binds"], expected_binds);
    EXPECT_EQ(reqs[0].body["offset"], 0);
    EXPECT_EQ(reqs[0].body["limit"], 1000);
}

TEST(OracleOrdsClient, ReturnsOutBinds) {
    OrdsTestServer server;
    server.on("BEGIN", [](const Received& r, int) {
        return plsql_reply(r.statement(), {{"job_name", "SCH_X"}});
    });
    OrdsClient client(config_for(server));
    Bind out{"job_name", nullptr};
    out.out = true;
    auto result = client.execute({"BEGIN :job_name := 'SCH_X'; END;", {out}});
    EXPECT_EQ(result.out.at("job_name"), "SCH_X");
    EXPECT_EQ(server.requests()[0].body["binds"][0]["mode"], "out");
    EXPECT_FALSE(server.requests()[0].body["binds"][0].contains("value"));
}

TEST(OracleOrdsClient, StatementErrorBecomesSqlErrorWithCodeAndLine) {
    OrdsTestServer server;
    server.on("GRANT", [](const Received& r, int) {
        return error_reply(r.statement(), 1031, "ORA-01031: insufficient privileges", 1);
    });
    OrdsClient client(config_for(server));
    try {
        client.execute({"GRANT EXECUTE ON APEX_INSTANCE_ADMIN TO X", {}});
        FAIL() << "no error";
    } catch (const OracleSqlError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::sql);
        EXPECT_EQ(e.code(), 1031);
        EXPECT_EQ(e.line(), 1);
        EXPECT_NE(e.message().find("ORA-01031"), std::string::npos);
        EXPECT_FALSE(e.hint().empty());
    }
}

TEST(OracleOrdsClient, Pls00306InsideOra06550IsRecognised) {
    OrdsTestServer server;
    server.on("CREATE_USER", [](const Received& r, int) {
        return error_reply(
            r.statement(), 6550,
            "ORA-06550: line 4, column 3:\nPLS-00306: wrong number or types of arguments in call to "
            "'CREATE_USER'\nORA-06550: line 4, column 3:\nPL/SQL: Statement ignored",
            4);
    });
    OrdsClient client(config_for(server));
    try {
        client.execute({"BEGIN APEX_UTIL.CREATE_USER(p_x => 1); END;", {}});
        FAIL() << "no error";
    } catch (const OracleSqlError& e) {
        EXPECT_TRUE(e.mentions("PLS-00306"));
        EXPECT_EQ(e.code(), 6550);
    }
}

TEST(OracleOrdsClient, PagesThroughLargeResults) {
    OrdsTestServer server;
    const int total = 2345;
    server.on("FROM big", [&](const Received& r, int) {
        int offset = r.body.value("offset", 0), limit = r.body.value("limit", 10000);
        std::vector<nlohmann::json> rows;
        for (int i = offset; i < std::min(total, offset + limit); ++i) rows.push_back({{"n", i}});
        return query_reply(r.statement(), rows, offset + limit < total, offset, limit);
    });
    OrdsClient client(config_for(server));
    auto rows = client.query({"SELECT n FROM big", {}});
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i) ASSERT_EQ(rows[static_cast<std::size_t>(i)]["n"], i);
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 3u);
    EXPECT_EQ(reqs[0].body["offset"], 0);
    EXPECT_EQ(reqs[1].body["offset"], 1000);
    EXPECT_EQ(reqs[2].body["offset"], 2000);
}

TEST(OracleOrdsClient, Http401IsAnAuthenticationError) {
    OrdsTestServer server;
    server.override_all([](const Received&) {
        return Reply{401, R"({"code":"Unauthorized","message":"Unauthorized"})"};
    });
    OrdsClient client(config_for(server));
    try {
        client.execute({"SELECT 1 FROM dual", {}});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::authentication);
    }
}

TEST(OracleOrdsClient, Http503IsAConnectionError) {
    OrdsTestServer server;
    server.override_all([](const Received&) {
        return Reply{503, "<html>Service Unavailable</html>", "text/html"};
    });
    OrdsClient client(config_for(server));
    try {
        client.execute({"SELECT 1 FROM dual", {}});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::connection);
        EXPECT_NE(e.message().find("503"), std::string::npos);
    }
}

TEST(OracleOrdsClient, NonJsonReplyIsAConnectionError) {
    OrdsTestServer server;
    server.override_all([](const Received&) { return Reply{200, "<html>proxy login</html>", "text/html"}; });
    OrdsClient client(config_for(server));
    EXPECT_THROW(client.execute({"SELECT 1 FROM dual", {}}), Error);
}

TEST(OracleOrdsClient, TimeoutIsAConnectionError) {
    OrdsTestServer server;
    server.override_all([](const Received& r) {
        Reply reply = plsql_reply(r.statement());
        reply.delay_ms = 2500;
        return reply;
    });
    OrdsConfig c = config_for(server);
    c.http.timeout_seconds = 1;
    OrdsClient client(c);
    auto start = std::chrono::steady_clock::now();
    try {
        client.execute({"BEGIN NULL; END;", {}});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::connection);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2400));
}

TEST(OracleOrdsClient, OAuth2ClientCredentialsFetchesAndUsesABearerToken) {
    OrdsTestServer server;
    server.on_token([](const Received&) {
        return Reply{200, R"({"access_token":"tok-123456789","token_type":"bearer","expires_in":3600})"};
    });
    server.on("dual", [](const Received& r, int) { return query_reply(r.statement(), {{{"x", 1}}}); });
    OrdsConfig c = config_for(server);
    c.auth = AuthMethod::oauth2;
    c.user = "client-id";
    c.secret = "client-secret-xyz";
    OrdsClient client(c);
    client.query({"SELECT 1 x FROM dual", {}});
    client.query({"SELECT 1 x FROM dual", {}});
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 3u);  // one token, two statements
    EXPECT_EQ(reqs[0].path, "/ords/admin/oauth/token");
    EXPECT_EQ(reqs[0].raw_body, "grant_type=client_credentials");
    EXPECT_EQ(reqs[0].authorization, "Basic " + base64("client-id:client-secret-xyz"));
    EXPECT_EQ(reqs[1].authorization, "Bearer tok-123456789");
    EXPECT_EQ(reqs[2].authorization, "Bearer tok-123456789");
}

TEST(OracleOrdsClient, SecretsNeverReachErrorText) {
    OrdsTestServer server;
    server.on("BEGIN", [](const Received& r, int) {
        // A server that echoes the statement, binds included, in its error.
        return error_reply(r.statement(), 20000, "ORA-20000: bad token " + r.bind("password"));
    });
    OrdsConfig c = config_for(server);
    OrdsClient client(c);
    std::string token = "oci-auth-token-XYZ123";
    Bind secret{"password", token};
    secret.secret = true;
    try {
        client.execute({"BEGIN NULL; END;", {secret}});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.one_line().find(token), std::string::npos) << e.one_line();
    }
}

TEST(OracleOrdsClient, PlainHttpOnlyForLoopback) {
    EXPECT_NO_THROW(check_url_scheme("http://127.0.0.1:8080/ords/admin"));
    EXPECT_NO_THROW(check_url_scheme("https://adb.example.com/ords/admin"));
    EXPECT_THROW(check_url_scheme("http://adb.example.com/ords/admin"), Error);
    EXPECT_THROW(check_url_scheme("http://127.0.0.1.evil.com/ords/admin"), Error);
    EXPECT_THROW(check_url_scheme("ftp://127.0.0.1/ords"), Error);
}

}  // namespace
}  // namespace dbclone::oracle::test

namespace dbclone::oracle::test {
namespace {

TEST(OracleOrdsClient, Http400IsAStatementProblemAnd404AWrongUrl) {
    OrdsTestServer server;
    server.override_all([](const Received& r) {
        if (r.statement().find("bad") != std::string::npos)
            return Reply{400, R"({"code":"BadRequest","message":"invalid bind"})"};
        return Reply{404, R"({"code":"NotFound","message":"no such alias"})"};
    });
    OrdsClient client(config_for(server));
    try {
        client.execute({"SELECT bad FROM dual", {}});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::sql);
        EXPECT_NE(e.message().find("invalid bind"), std::string::npos);
    }
    try {
        client.execute({"SELECT 1 FROM dual", {}});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::not_found);
    }
}

}  // namespace
}  // namespace dbclone::oracle::test
