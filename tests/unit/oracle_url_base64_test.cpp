// What the Oracle engine reads from URLs (libcurl's URL parser) and the Basic
// credentials it sends (OpenSSL's base64), against values worked out by hand.
#include <gtest/gtest.h>

#include "core/error.h"
#include "engine/oracle/oracle_options.h"
#include "engine/oracle/ords/https_post.h"
#include "engine/oracle/ords/url.h"

namespace dbclone::oracle::test {
namespace {

TEST(OracleBase64, MatchesTheRfc4648Vectors) {
    EXPECT_EQ(base64(""), "");
    EXPECT_EQ(base64("f"), "Zg==");
    EXPECT_EQ(base64("fo"), "Zm8=");
    EXPECT_EQ(base64("foo"), "Zm9v");
    EXPECT_EQ(base64("foob"), "Zm9vYg==");
    EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    EXPECT_EQ(base64(std::string("\xff\xfe\x00\x01", 4)), "//4AAQ==");
    // No line breaks however long (EVP_EncodeUpdate would wrap at 64).
    EXPECT_EQ(base64(std::string(300, 'a')).find('\n'), std::string::npos);
    EXPECT_EQ(base64(std::string(300, 'a')).size(), 400u);
}

TEST(OracleUrl, ReadsSchemeHostPortAndPath) {
    auto u = parse_url("HTTPS://ADB.Example.com:8443/ords/admin/_/sql");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "adb.example.com");
    EXPECT_EQ(u->port, "8443");
    EXPECT_EQ(u->path, "/ords/admin/_/sql");
    u = parse_url("http://[::1]/ords");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "[::1]");
    EXPECT_EQ(u->port, "");
    EXPECT_FALSE(parse_url("adb.example.com/ords"));
    EXPECT_FALSE(parse_url("https://"));
    EXPECT_FALSE(parse_url(""));
}

TEST(OracleUrl, LoopbackHttpMeansTheHostCurlConnectsTo) {
    EXPECT_NO_THROW(check_url_scheme("http://localhost:8080/ords/admin"));
    EXPECT_NO_THROW(check_url_scheme("HTTP://LOCALHOST/ords/admin"));
    EXPECT_NO_THROW(check_url_scheme("http://[::1]:8080/ords/admin"));
    EXPECT_NO_THROW(check_url_scheme("https://adb.example.com"));
    // The user part is not the host: curl would connect to evil.com.
    EXPECT_THROW(check_url_scheme("http://localhost@evil.com/ords"), Error);
    EXPECT_THROW(check_url_scheme("http://localhost:80@evil.com/ords"), Error);
    EXPECT_THROW(check_url_scheme("https://"), Error);
    EXPECT_THROW(check_url_scheme("localhost/ords"), Error);
    try {
        check_url_scheme("http://u:pa55word@db.example.com/ords");
        FAIL() << "plain http to a remote host was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_EQ(e.one_line().find("pa55word"), std::string::npos) << e.one_line();
    }
}

TEST(OracleUrl, AdbNameIsTheFirstLabelOfTheHost) {
    EXPECT_EQ(adb_name_from_url("https://ur-prod.adb.eu-frankfurt-1.oraclecloudapps.com/ords/admin"),
              "ur-prod");
    EXPECT_EQ(adb_name_from_url("https://UR-Prod.adb.example.com:443/ords"), "ur-prod");
    EXPECT_EQ(adb_name_from_url("http://localhost:8080/ords"), "localhost");
    EXPECT_EQ(adb_name_from_url("not a url"), "");
}

}  // namespace
}  // namespace dbclone::oracle::test
