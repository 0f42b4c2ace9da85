// Client of ORDS's REST-Enabled SQL service (POST <base>/_/sql, JSON body).
// Every call is its own database session on the server (reference §0), so a
// caller that needs session state (APEX_UTIL.SET_WORKSPACE before an
// install) must put it all in one PL/SQL block. Statement errors arrive per
// item in the JSON body and become OracleSqlError; HTTP 401 is an
// authentication error; 5xx, 408, 429, non-JSON replies and timeouts are
// connection errors. Queries (and only queries: a PL/SQL block may have run
// before the reply was lost) are retried on those with back-off and jitter.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "engine/oracle/ords/https_post.h"

namespace dbclone::oracle {

struct Bind {
    std::string name;                    // for :name in the statement text
    nlohmann::json value;                // string or number; null for out binds
    std::string data_type = "VARCHAR2";  // ORDS bind data_type
    bool out = false;                    // mode "out": value echoed back
    bool secret = false;                 // shown as <secret> in plans and logs
};

struct Statement {
    std::string text;
    std::vector<Bind> binds;
};

using Row = nlohmann::json;  // object keyed by ORDS's jsonColumnName (lower case)

struct StatementResult {
    std::vector<Row> rows;                      // queries only
    std::map<std::string, nlohmann::json> out;  // out binds by name
    std::vector<std::string> response;          // SQL*Plus-style text lines
};

// A statement that failed inside the database.
class OracleSqlError : public Error {
public:
    OracleSqlError(int code, std::string details, int line, std::string hint = {});
    int code() const { return code_; }
    const std::string& details() const { return details_; }
    int line() const { return line_; }
    // True when the server text carries this code, e.g. "PLS-00306" inside
    // an ORA-06550 compilation error.
    bool mentions(const std::string& code) const;

private:
    int code_;
    std::string details_;
    int line_;
};

enum class AuthMethod { basic, oauth2 };

struct OrdsConfig {
    std::string base_url;  // https://host/ords/admin (no trailing slash needed)
    AuthMethod auth = AuthMethod::basic;
    std::string user;    // basic: database user; oauth2: client id
    std::string secret;  // basic: password;      oauth2: client secret
    HttpOptions http;
    int page_size = 1000;       // rows per request when paging a query
    int retries = 4;            // extra attempts of a query on 5xx/408/429/transport errors
    long retry_base_ms = 1000;  // back-off before the first retry; doubles, plus up to as much jitter
    std::string label;          // "source" / "target", for messages
};

class OrdsClient {
public:
    explicit OrdsClient(OrdsConfig config);

    // Runs one statement (PL/SQL block, DDL, DML or a query's first page).
    StatementResult execute(const Statement& statement);

    // Runs a query and follows offset/limit paging until hasMore is false.
    std::vector<Row> query(const Statement& statement);

    const OrdsConfig& config() const { return config_; }

private:
    nlohmann::json post_sql(const nlohmann::json& body);
    // post_sql for a request that may be sent again (a query): retried with
    // exponential back-off and jitter while the failure is transient.
    nlohmann::json post_sql_idempotent(const nlohmann::json& body);
    std::string authorization();
    void fetch_token();

    OrdsConfig config_;
    std::string token_;
};

// Builds the JSON request body for one statement (exposed for tests).
nlohmann::json request_body(const Statement& statement, std::optional<int> offset, std::optional<int> limit);

// Parses one ORDS reply item; throws OracleSqlError for a failed item.
StatementResult parse_item(const nlohmann::json& item);

// "<secret>"-masked rendering of the binds for plans and debug logs.
std::string describe_binds(const std::vector<Bind>& binds);

}  // namespace dbclone::oracle
