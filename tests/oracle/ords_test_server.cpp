#include "ords_test_server.h"

#include <httplib.h>

#include <chrono>

namespace dbclone::oracle::test {

namespace {

nlohmann::json item(const std::string& statement, const std::string& type) {
    return {{"statementId", 1},
            {"statementType", type},
            {"statementPos", {{"startLine", 1}, {"endLine", 1}}},
            {"statementText", statement},
            {"response", nlohmann::json::array()},
            {"result", 0}};
}

Reply wrap(const nlohmann::json& it) {
    nlohmann::json body = {{"env", {{"defaultTimeZone", "UTC"}}}, {"items", nlohmann::json::array({it})}};
    return {200, body.dump()};
}

}  // namespace

std::string Received::bind(const std::string& name) const {
    if (!body.contains("binds")) return {};
    for (const auto& b : body["binds"])
        if (b.value("name", "") == name && b.contains("value"))
            return b["value"].is_string() ? b["value"].get<std::string>() : b["value"].dump();
    return {};
}

bool Received::has_bind(const std::string& name) const {
    if (!body.contains("binds")) return false;
    for (const auto& b : body["binds"])
        if (b.value("name", "") == name) return true;
    return false;
}

Reply query_reply(const std::string& statement, const std::vector<nlohmann::json>& rows, bool has_more,
                  int offset, int limit) {
    auto it = item(statement, "query");
    nlohmann::json metadata = nlohmann::json::array();
    if (!rows.empty())
        for (const auto& [key, value] : rows.front().items())
            metadata.push_back({{"columnName", key},
                                {"jsonColumnName", key},
                                {"columnTypeName", value.is_number() ? "NUMBER" : "VARCHAR2"},
                                {"isNullable", 1}});
    it["resultSet"] = {{"metadata", metadata}, {"items", rows},    {"hasMore", has_more},
                       {"limit", limit},       {"offset", offset}, {"count", rows.size()}};
    return wrap(it);
}

Reply plsql_reply(const std::string& statement, const std::map<std::string, nlohmann::json>& out_binds) {
    auto it = item(statement, "plsql");
    it["response"] = nlohmann::json::array({"\nPL/SQL procedure successfully completed.\n\n"});
    if (!out_binds.empty()) {
        nlohmann::json binds = nlohmann::json::array();
        for (const auto& [name, value] : out_binds)
            binds.push_back({{"name", name}, {"data_type", "VARCHAR2"}, {"mode", "out"}, {"result", value}});
        it["binds"] = binds;
    }
    return wrap(it);
}

Reply ddl_reply(const std::string& statement, const std::string& message) {
    auto it = item(statement, "ddl");
    it["response"] = nlohmann::json::array({"\n" + message + "\n\n"});
    return wrap(it);
}

Reply error_reply(const std::string& statement, int code, const std::string& details, int line) {
    auto it = item(statement, "plsql");
    it["errorCode"] = code;
    it["errorLine"] = line;
    it["errorColumn"] = 3;
    it["errorDetails"] = details;
    it["response"] = nlohmann::json::array({"\nError starting at line : 1 in command -\n" + details + "\n"});
    return wrap(it);
}

OrdsTestServer::OrdsTestServer() : server_(std::make_unique<httplib::Server>()) {
    auto handle = [this](const httplib::Request& req, httplib::Response& res) {
        Received r;
        r.path = req.path;
        r.authorization = req.get_header_value("Authorization");
        r.content_type = req.get_header_value("Content-Type");
        r.raw_body = req.body;
        r.body = nlohmann::json::parse(req.body, nullptr, false);
        if (r.body.is_discarded()) r.body = nlohmann::json::object();
        Reply reply = answer(r);
        if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
        res.status = reply.status;
        res.set_content(reply.body, reply.content_type.c_str());
    };
    server_->Post("/ords/admin/_/sql", handle);
    server_->Post("/ords/admin/oauth/token", handle);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() only stops a running loop: wait for it before handing out the URL.
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

OrdsTestServer::~OrdsTestServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
}

std::string OrdsTestServer::base_url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/ords/admin";
}

void OrdsTestServer::on(const std::string& needle, Rule rule) {
    std::lock_guard lock(mutex_);
    rules_.emplace_back(needle, std::move(rule));
    calls_.push_back(0);
}

void OrdsTestServer::on_token(std::function<Reply(const Received&)> rule) {
    std::lock_guard lock(mutex_);
    token_ = std::move(rule);
}

void OrdsTestServer::override_all(std::function<Reply(const Received&)> rule) {
    std::lock_guard lock(mutex_);
    override_ = std::move(rule);
}

Reply OrdsTestServer::answer(const Received& r) {
    std::lock_guard lock(mutex_);
    received_.push_back(r);
    if (override_) {
        Reply reply = override_(r);
        if (reply.status >= 0) return reply;  // status < 0: fall through to the rules
    }
    if (r.path.size() >= 12 && r.path.substr(r.path.size() - 12) == "/oauth/token")
        return token_ ? token_(r) : Reply{404, R"({"code":"NotFound"})"};
    std::string text = r.statement();
    for (std::size_t i = 0; i < rules_.size(); ++i)
        if (text.find(rules_[i].first) != std::string::npos) return rules_[i].second(r, ++calls_[i]);
    // Unscripted statements fail loudly, in ORDS's shape.
    return error_reply(text, 900, "ORA-00900: unscripted statement in the test server");
}

std::vector<Received> OrdsTestServer::requests() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<Received> OrdsTestServer::requests_with(const std::string& needle) const {
    std::vector<Received> out;
    for (const auto& r : requests())
        if (r.statement().find(needle) != std::string::npos) out.push_back(r);
    return out;
}

}  // namespace dbclone::oracle::test
