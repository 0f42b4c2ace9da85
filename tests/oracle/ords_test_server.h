// A local stand-in for ORDS REST-Enabled SQL: cpp-httplib on 127.0.0.1 and a
// random port, answering POST /ords/admin/_/sql and /ords/admin/oauth/token
// with replies in ORDS's documented JSON shape (ORACLE_REFERENCE.md §1).
// Tests script it with rules ("a statement containing X gets reply Y") and
// then assert on the exact requests it received.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace dbclone::oracle::test {

struct Received {
    std::string path;
    std::string authorization;
    std::string content_type;
    std::string raw_body;
    nlohmann::json body;  // parsed JSON body of /_/sql requests

    std::string statement() const { return body.value("statementText", std::string()); }
    // The value of an in bind, as a string ("" when absent).
    std::string bind(const std::string& name) const;
    bool has_bind(const std::string& name) const;
};

struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    int delay_ms = 0;  // to provoke client timeouts
};

// Replies in ORDS's shape.
Reply query_reply(const std::string& statement, const std::vector<nlohmann::json>& rows,
                  bool has_more = false, int offset = 0, int limit = 10000);
Reply plsql_reply(const std::string& statement, const std::map<std::string, nlohmann::json>& out_binds = {});
Reply ddl_reply(const std::string& statement, const std::string& message);
Reply error_reply(const std::string& statement, int code, const std::string& details, int line = 1);

class OrdsTestServer {
public:
    using Rule = std::function<Reply(const Received&, int call)>;  // call: 1-based per rule

    OrdsTestServer();
    ~OrdsTestServer();
    OrdsTestServer(const OrdsTestServer&) = delete;
    OrdsTestServer& operator=(const OrdsTestServer&) = delete;

    std::string base_url() const;  // http://127.0.0.1:<port>/ords/admin

    // The first rule whose `needle` occurs in the statement text answers.
    void on(const std::string& needle, Rule rule);
    // Replies for /oauth/token (default: 404).
    void on_token(std::function<Reply(const Received&)> rule);
    // Reply for every request, before the rules (e.g. 401 or 503); a reply
    // with a negative status falls through to the rules.
    void override_all(std::function<Reply(const Received&)> rule);

    std::vector<Received> requests() const;
    // The requests whose statement contains `needle`.
    std::vector<Received> requests_with(const std::string& needle) const;

private:
    Reply answer(const Received& r);

    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, Rule>> rules_;
    std::vector<int> calls_;
    std::function<Reply(const Received&)> token_;
    std::function<Reply(const Received&)> override_;
    std::vector<Received> received_;
};

}  // namespace dbclone::oracle::test
