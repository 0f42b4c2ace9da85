#include "engine/oracle/ords/ords_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "core/interrupt.h"
#include "core/log.h"
#include "core/redact.h"
#include "engine/oracle/oracle_names.h"

namespace dbclone::oracle {

namespace {

void interruptible_sleep(std::chrono::milliseconds total) {
    auto until = std::chrono::steady_clock::now() + total;
    while (std::chrono::steady_clock::now() < until) {
        check_interrupted();
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            until - std::chrono::steady_clock::now(), std::chrono::milliseconds(200)));
    }
}

std::string hint_for(int code, const std::string& details) {
    if (code == 1031) return "the REST-enabled user lacks a privilege; run as ADMIN";
    if (details.find("PLS-00306") != std::string::npos)
        return "the server's API signature differs from the call; check the APEX/DB version";
    if (code == 1920) return "the user already exists; pass --reuse-user to keep it";
    return {};
}

std::string trim_base(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

OracleSqlError::OracleSqlError(int code, std::string details, int line, std::string hint)
    : Error(ErrorKind::sql, redact(details) + (line > 0 ? fmt::format(" (line {})", line) : std::string()),
            std::move(hint)),
      code_(code),
      details_(std::move(details)),
      line_(line) {}

bool OracleSqlError::mentions(const std::string& code) const {
    return details_.find(code) != std::string::npos || message().find(code) != std::string::npos;
}

OrdsClient::OrdsClient(OrdsConfig config) : config_(std::move(config)) {
    config_.base_url = trim_base(config_.base_url);
    check_url_scheme(config_.base_url);
    register_secret(config_.secret);
}

nlohmann::json request_body(const Statement& statement, std::optional<int> offset, std::optional<int> limit) {
    nlohmann::json body = {{"statementText", statement.text}};
    if (offset) body["offset"] = *offset;
    if (limit) body["limit"] = *limit;
    if (!statement.binds.empty()) {
        nlohmann::json binds = nlohmann::json::array();
        for (const auto& b : statement.binds) {
            nlohmann::json j = {{"name", b.name}, {"data_type", b.data_type}};
            if (b.out)
                j["mode"] = "out";
            else
                j["value"] = b.value;
            binds.push_back(std::move(j));
        }
        body["binds"] = std::move(binds);
    }
    return body;
}

StatementResult parse_item(const nlohmann::json& item) {
    if (item.contains("errorCode") && !item["errorCode"].is_null()) {
        int code = item["errorCode"].is_number() ? item["errorCode"].get<int>() : 0;
        std::string details = item.value("errorDetails", std::string());
        if (details.empty()) details = fmt::format("ORA-{:05d}", code);
        int line =
            item.contains("errorLine") && item["errorLine"].is_number() ? item["errorLine"].get<int>() : 0;
        throw OracleSqlError(code, details, line, hint_for(code, details));
    }
    StatementResult result;
    if (item.contains("resultSet") && item["resultSet"].contains("items"))
        for (const auto& row : item["resultSet"]["items"]) result.rows.push_back(row);
    if (item.contains("binds"))
        for (const auto& b : item["binds"]) {
            if (b.value("mode", "") != "out") continue;
            // ORDS echoes the value of an out bind as "result" (older
            // examples show "value"); accept either.
            nlohmann::json v = b.contains("result") ? b["result"] : b.value("value", nlohmann::json());
            result.out[b.value("name", std::string())] = v;
        }
    if (item.contains("response") && item["response"].is_array())
        for (const auto& line : item["response"])
            if (line.is_string()) result.response.push_back(line.get<std::string>());
    return result;
}

std::string describe_binds(const std::vector<Bind>& binds) {
    std::string out;
    for (const auto& b : binds) {
        std::string value;
        if (b.out)
            value = "(out)";
        else if (b.secret)
            value = "<secret>";
        else if (b.value.is_string())
            value = sql_literal(b.value.get<std::string>());
        else
            value = b.value.dump();
        out += fmt::format("-- :{} = {}\n", b.name, value);
    }
    return out;
}

void OrdsClient::fetch_token() {
    HttpRequest request;
    request.url = config_.base_url + "/oauth/token";
    request.content_type = "application/x-www-form-urlencoded";
    request.body = "grant_type=client_credentials";
    request.authorization = "Basic " + base64(config_.user + ":" + config_.secret);
    HttpResponse response = https_post(request, config_.http);
    if (response.status == 401 || response.status == 400 || response.status == 403)
        throw Error(ErrorKind::authentication,
                    fmt::format("{} ORDS refused the OAuth2 client credentials (HTTP {})", config_.label,
                                response.status),
                    "check the client id/secret and that the client has the 'SQL Developer' role");
    if (response.status != 200)
        throw Error(ErrorKind::connection,
                    fmt::format("{} ORDS token endpoint answered HTTP {}", config_.label, response.status));
    auto j = nlohmann::json::parse(response.body, nullptr, false);
    if (j.is_discarded() || !j.contains("access_token") || !j["access_token"].is_string())
        throw Error(ErrorKind::connection, config_.label + " ORDS token endpoint returned no access_token");
    token_ = j["access_token"].get<std::string>();
    register_secret(token_);
}

std::string OrdsClient::authorization() {
    if (config_.auth == AuthMethod::basic) return "Basic " + base64(config_.user + ":" + config_.secret);
    if (token_.empty()) fetch_token();
    return "Bearer " + token_;
}

nlohmann::json OrdsClient::post_sql(const nlohmann::json& body) {
    HttpRequest request;
    request.url = config_.base_url + "/_/sql";
    request.content_type = "application/json";
    request.body = body.dump();
    log::debug("{} POST {} {}", config_.label, request.url, redact(request.body));
    request.authorization = authorization();
    HttpResponse response = https_post(request, config_.http);
    if (response.status == 401 && config_.auth == AuthMethod::oauth2) {
        // The token may have expired (~1 hour); fetch one more, once.
        fetch_token();
        request.authorization = authorization();
        response = https_post(request, config_.http);
    }
    if (response.status == 401 || response.status == 403)
        throw Error(ErrorKind::authentication,
                    fmt::format("{} ORDS rejected the credentials (HTTP {})", config_.label, response.status),
                    "check DBCLONE_ORACLE_" + std::string(config_.label == "target" ? "TARGET" : "SOURCE") +
                        "_USER/_PASSWORD (or the OAuth2 client) and that the schema is REST-enabled");
    if (response.status >= 500 || response.status == 408 || response.status == 429)
        throw Error(ErrorKind::connection,
                    fmt::format("{} ORDS answered HTTP {}", config_.label, response.status),
                    "the service is unavailable or overloaded; the run can be resumed with --resume");
    auto j = nlohmann::json::parse(response.body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw Error(ErrorKind::connection,
                    fmt::format("{} ORDS answered HTTP {} with a body that is not JSON", config_.label,
                                response.status));
    if (response.status != 200 || !j.contains("items") || !j["items"].is_array() || j["items"].empty()) {
        std::string msg = j.value("message", j.value("title", std::string("no items in reply")));
        // 404: wrong URL; other 4xx: ORDS refused this request (bad JSON or
        // binds), which is about the statement, not the network.
        ErrorKind kind = response.status == 404                            ? ErrorKind::not_found
                         : response.status >= 400 && response.status < 500 ? ErrorKind::sql
                                                                           : ErrorKind::connection;
        throw Error(kind,
                    fmt::format("{} ORDS answered HTTP {}: {}", config_.label, response.status, redact(msg)),
                    response.status == 404 ? "check the URL: https://<host>/ords/<schema>" : "");
    }
    return j;
}

StatementResult OrdsClient::execute(const Statement& statement) {
    // A server may echo bind values in its error text; mask them there too.
    for (const auto& b : statement.binds)
        if (b.secret && b.value.is_string()) register_secret(b.value.get<std::string>());
    auto reply = post_sql(request_body(statement, std::nullopt, std::nullopt));
    // One statement per request: the first item is ours. Check every item
    // anyway so an unexpected script split cannot hide an error.
    StatementResult first;
    bool have_first = false;
    for (const auto& item : reply["items"]) {
        StatementResult r = parse_item(item);
        if (!have_first) {
            first = std::move(r);
            have_first = true;
        }
    }
    return first;
}

nlohmann::json OrdsClient::post_sql_idempotent(const nlohmann::json& body) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    for (int attempt = 0;; ++attempt) {
        try {
            return post_sql(body);
        } catch (const Error& e) {
            // Transport failures, timeouts, 5xx, 408 and 429 are all
            // ErrorKind::connection; anything else will not improve.
            if (e.kind() != ErrorKind::connection || attempt >= config_.retries) throw;
            long base = config_.retry_base_ms << std::min(attempt, 10);
            long jitter = base > 0 ? std::uniform_int_distribution<long>(0, base)(rng) : 0;
            log::warn("{} ORDS: {}; retrying in {} ms ({} of {})", config_.label, e.message(), base + jitter,
                      attempt + 1, config_.retries);
            interruptible_sleep(std::chrono::milliseconds(base + jitter));
        }
    }
}

std::vector<Row> OrdsClient::query(const Statement& statement) {
    std::vector<Row> rows;
    int offset = 0;
    for (;;) {
        auto reply = post_sql_idempotent(request_body(statement, offset, config_.page_size));
        const auto& item = reply["items"][0];
        StatementResult page = parse_item(item);
        for (auto& r : page.rows) rows.push_back(std::move(r));
        const auto& rs = item.contains("resultSet") ? item["resultSet"] : nlohmann::json::object();
        bool more = rs.value("hasMore", false);
        int count = rs.value("count", static_cast<int>(page.rows.size()));
        if (!more || count <= 0) break;
        offset += count;
    }
    return rows;
}

}  // namespace dbclone::oracle
