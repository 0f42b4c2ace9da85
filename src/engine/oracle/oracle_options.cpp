#include "engine/oracle/oracle_options.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

#include "core/ascii.h"
#include "core/error.h"
#include "core/redact.h"
#include "dumpset/housekeeping.h"
#include "engine/oracle/oracle_names.h"
#include "engine/oracle/ords/url.h"

namespace dbclone::oracle {

namespace {

constexpr std::size_t kMaxRetentionBytes = 31;

std::string opt(const Request& r, const std::string& key, const std::string& fallback = {}) {
    auto it = r.engine_options.find(key);
    return it == r.engine_options.end() || it->second.empty() ? fallback : it->second;
}

bool flag(const Request& r, const std::string& key) {
    auto v = opt(r, key);
    return v == "1" || v == "true" || v == "yes";
}

long number(const Request& r, const std::string& key, long fallback, long min, long max) {
    auto v = opt(r, key);
    if (v.empty()) return fallback;
    const bool digits = !v.empty() && v.size() <= 12 && ascii::all_of(v, ascii::is_digit);
    if (!digits || std::stol(v) < min || std::stol(v) > max)
        throw Error(ErrorKind::usage, "--" + key + " must be a number from " + std::to_string(min) + " to " +
                                          std::to_string(max) + ", not '" + v + "'");
    return std::stol(v);
}

std::string strip_wksp(const std::string& schema) {
    return schema.rfind("WKSP_", 0) == 0 && schema.size() > 5 ? schema.substr(5) : schema;
}

// One '@' with something on each side, no blank and no quote.
bool is_email(std::string_view s) {
    const auto at = s.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == s.size() ||
        s.find('@', at + 1) != std::string_view::npos)
        return false;
    return ascii::all_of(s, [](char c) { return !ascii::is_space(c) && c != '\'' && c != '"'; });
}

// A timestamp or <retention>/<adb>/schema/<schema>/<timestamp>, perhaps with
// one '/' after it.
bool is_dump_name(std::string_view s) {
    if (!s.empty() && s.back() == '/') s.remove_suffix(1);
    if (is_path_timestamp(s)) return true;
    std::vector<std::string_view> parts;
    for (std::size_t from = 0;;) {
        const auto slash = s.find('/', from);
        parts.push_back(s.substr(from, slash - from));
        if (slash == std::string_view::npos) break;
        from = slash + 1;
    }
    return parts.size() == 5 && is_path_word(parts[0]) && is_path_word(parts[1]) && parts[2] == "schema" &&
           is_path_schema(parts[3]) && is_path_timestamp(parts[4]);
}

}  // namespace

std::string adb_name_from_url(const std::string& url) {
    // The first label of the host: <adb>.adb.<region>.oraclecloudapps.com.
    const auto parts = parse_url(url);
    if (!parts) return {};
    return parts->host.substr(0, parts->host.find('.'));
}

OracleOptions parse_options(const Request& request) {
    OracleOptions o;
    o.command = request.command;
    o.source_url = request.source;
    o.target_url = request.target;
    if (!o.target_url.empty()) check_url_scheme(o.target_url);
    if (!o.source_url.empty()) check_url_scheme(o.source_url);
    const Command c = request.command;
    // import reads a dump set from the bucket into the target: no source.
    if (o.source_url.empty() && c != Command::import)
        throw Error(ErrorKind::usage, "the oracle engine needs a SOURCE ORDS URL");
    if (o.target_url.empty() && c != Command::export_ && c != Command::doctor && c != Command::dumps)
        throw Error(ErrorKind::usage, "the oracle engine needs a TARGET ORDS URL");

    // dumps may list every schema; all other commands name one.
    if (c != Command::dumps || !request.source_schema.empty()) {
        o.source_schema = normalize_name(request.source_schema, "source schema");
        o.target_schema = normalize_name(
            request.target_schema.empty() ? request.source_schema : request.target_schema, "target schema");
    }
    o.source_adb_given = !opt(request, "source-adb").empty();
    if (o.source_adb_given || !o.source_url.empty())
        o.source_adb = validate_adb_name(opt(request, "source-adb", adb_name_from_url(o.source_url)));
    if (!o.target_url.empty())
        o.target_adb = validate_adb_name(opt(request, "target-adb", adb_name_from_url(o.target_url)));
    if (!o.target_schema.empty())
        o.workspace = normalize_name(opt(request, "workspace", strip_wksp(o.target_schema)), "workspace");

    if (auto app = opt(request, "app"); !app.empty()) o.app = number(request, "app", 0, 1, 2147483647);
    std::string mode = opt(request, "app-id", "reuse");
    if (mode == "reuse") {
        o.app_id_mode = AppIdMode::reuse;
    } else if (mode == "auto") {
        o.app_id_mode = AppIdMode::auto_assign;
    } else {
        o.app_id_mode = AppIdMode::explicit_id;
        o.app_id = number(request, "app-id", 0, 1, 2147483647);
    }
    o.split_apex = flag(request, "split");
    o.download_dir = opt(request, "download");

    o.bucket_uri = opt(request, "bucket-uri", request.store_url);
    // verify reads catalogs only; every other command moves data through the bucket.
    if (request.command == Command::verify && o.bucket_uri.empty()) o.bucket_uri = "https://unused/";
    if (o.bucket_uri.rfind("https://", 0) != 0)
        throw Error(ErrorKind::usage,
                    "the oracle engine needs --bucket-uri "
                    "https://objectstorage.<region>.oraclecloud.com/n/<namespace>/b/<bucket>/o/",
                    "Data Pump writes the dump straight to object storage; no local store is used");
    if (o.bucket_uri.find('\'') != std::string::npos || o.bucket_uri.find('"') != std::string::npos)
        throw Error(ErrorKind::usage, "--bucket-uri must not contain quotes");
    if (o.bucket_uri.back() != '/') o.bucket_uri += '/';
    // A pre-authenticated request URI (.../p/<token>/n/...) carries its
    // access in the path: the token is a secret wherever the URI is shown.
    if (const auto parts = parse_url(o.bucket_uri);
        parts && parts->scheme == "https" && parts->path.rfind("/p/", 0) == 0) {
        const auto end = parts->path.find('/', 3);
        if (end != std::string::npos) register_secret(parts->path.substr(3, end - 3));
    }
    o.credential = normalize_name(opt(request, "credential-name", "DMP_CRED"), "credential name");
    o.retention = request.retention;
    if (!is_path_word(o.retention, kMaxRetentionBytes))
        throw Error(ErrorKind::usage,
                    "retention '" + o.retention + "' must be a short lower-case word (temp, permanent)");
    o.parallel = static_cast<int>(number(request, "parallel", 0, 1, 64));
    o.max_parallel = static_cast<int>(number(request, "max-parallel", 0, 1, 1024));
    o.keep_jobs = flag(request, "keep-jobs");
    o.copy_apex_users = flag(request, "copy-apex-users");
    o.reuse_user = flag(request, "reuse-user");
    o.apex_admin_user = opt(request, "apex-admin", "admin");
    validate_name(o.apex_admin_user, "APEX admin user");
    o.apex_admin_email = opt(request, "apex-admin-email", "you@example.com");
    if (!is_email(o.apex_admin_email))
        throw Error(ErrorKind::usage,
                    "--apex-admin-email '" + o.apex_admin_email + "' is not an e-mail address");

    std::string auth = opt(request, "auth", "basic");
    if (auth == "basic")
        o.auth = AuthMethod::basic;
    else if (auth == "oauth2")
        o.auth = AuthMethod::oauth2;
    else
        throw Error(ErrorKind::usage, "--auth must be basic or oauth2, not '" + auth + "'");
    o.http.insecure_tls = flag(request, "insecure-tls");
    o.http.timeout_seconds = number(request, "http-timeout", 300, 1, 3600);
    o.poll_seconds = static_cast<double>(number(request, "poll-ms", 10000, 0, 600000)) / 1000.0;
    o.job_timeout_seconds = number(request, "job-timeout", 24 * 3600, 1, kMaxJobTimeoutSeconds);
    o.retries = static_cast<int>(number(request, "retries", 4, 0, 20));
    o.retry_base_ms = number(request, "retry-ms", 1000, 0, 600000);
    o.sequence_margin = number(request, "sequence-margin", 1000, 0, 1000000000);
    o.sequences = request.sequences;
    o.verify_after = request.verify_after;
    o.preflight = !flag(request, "no-preflight");
    o.secrets_file = opt(request, "secrets-file");

    o.dump = request.dump_path;
    o.any_retention = request.any_retention;
    o.table_exists = request.table_exists;
    if (c == Command::import) {
        // A reload keeps the target's application, as refresh does; the
        // source workspace's users are read from the source, which an
        // import does not have.
        if (o.app && o.table_exists == TableExistsAction::truncate)
            throw Error(ErrorKind::usage,
                        "--app goes with an import into a new schema; --table-exists-action truncate reloads "
                        "the data only and keeps the target's application",
                        "drop --app, or import into a new schema");
        if (o.copy_apex_users)
            throw Error(ErrorKind::usage,
                        "--copy-apex-users reads the source workspace; an import has no source",
                        "create the users in the target workspace, or clone with --copy-apex-users");
        if (o.table_exists != TableExistsAction::none && o.table_exists != TableExistsAction::truncate)
            throw Error(ErrorKind::usage,
                        "the oracle engine imports into a new schema, or with --table-exists-action truncate "
                        "reloads the data of an existing one",
                        "drop --table-exists-action, or use truncate");
        if (!o.dump.empty() && !is_dump_name(o.dump))
            throw Error(
                ErrorKind::usage, "--dump '" + o.dump + "' is not a dump set",
                "give its timestamp (YYYYMMDDTHHMMSS) or <retention>/<adb>/schema/<schema>/<timestamp>, "
                "as `dbclone dumps` lists them");
        if (!o.dump.empty() && o.dump.back() == '/') o.dump.pop_back();
    }
    if (c == Command::dumps) {
        // One rule for every engine's `dumps` (dumpset/housekeeping.h).
        const auto rule =
            dumpset::prune_rule(request.prune, request.older_than, request.prune_yes, request.allow_permanent,
                                request.any_retention ? std::string() : request.retention);
        o.prune = request.prune;
        o.prune_yes = rule.yes;
        o.allow_permanent = request.allow_permanent;
        o.older_than_hours = rule.older_than_hours;
        if (o.prune) o.retention = rule.retention;
    }
    return o;
}

std::string find_secret(const OracleOptions& options, const std::string& name) {
    std::string value;
    if (const char* env = std::getenv(name.c_str()); env && *env) {
        value = env;
    } else if (!options.secrets_file.empty()) {
        std::ifstream in(options.secrets_file);
        if (!in) throw Error(ErrorKind::io, "cannot read secrets file '" + options.secrets_file + "'");
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.rfind(name + "=", 0) == 0) value = line.substr(name.size() + 1);
        }
    }
    register_secret(value);
    return value;
}

std::string require_secret(const OracleOptions& options, const std::string& name, const std::string& why) {
    std::string value = find_secret(options, name);
    if (value.empty())
        throw Error(ErrorKind::usage, name + " is not set (" + why + ")",
                    "export " + name + "=... or put " + name + "=... in the --secrets-file");
    return value;
}

OrdsConfig ords_config(const OracleOptions& options, const std::string& side) {
    std::string up = side == "source" ? "SOURCE" : "TARGET";
    OrdsConfig c;
    c.base_url = side == "source" ? options.source_url : options.target_url;
    c.auth = options.auth;
    c.http = options.http;
    c.label = side;
    c.retries = options.retries;
    c.retry_base_ms = options.retry_base_ms;
    if (options.auth == AuthMethod::basic) {
        c.user = find_secret(options, "DBCLONE_ORACLE_" + up + "_USER");
        if (c.user.empty()) c.user = "ADMIN";
        c.secret = require_secret(options, "DBCLONE_ORACLE_" + up + "_PASSWORD",
                                  "the " + side + " database password");
    } else {
        c.user = require_secret(options, "DBCLONE_ORACLE_" + up + "_CLIENT_ID",
                                "the " + side + " OAuth2 client id");
        c.secret = require_secret(options, "DBCLONE_ORACLE_" + up + "_CLIENT_SECRET",
                                  "the " + side + " OAuth2 client secret");
    }
    return c;
}

std::string random_password() {
    static const std::string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz",
                             digits = "23456789";
    std::random_device rd;
    std::string all = upper + lower + digits;
    std::uniform_int_distribution<std::size_t> pick(0, all.size() - 1);
    std::string p = {upper[rd() % upper.size()], lower[rd() % lower.size()], digits[rd() % digits.size()]};
    while (p.size() < 24) p += all[pick(rd)];
    p += "#";
    register_secret(p);
    return p;
}

}  // namespace dbclone::oracle
