#include "dumpset/layout.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "core/error.h"

namespace dbclone::dumpset {

namespace {

constexpr std::size_t kTimestampLength = 16;  // YYYYMMDDTHHMMSSZ

bool is_kept(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           c == '_' || c == '.' || c == '$' || c == '-';
}

void check_component(const std::string& what, const std::string& value) {
    if (value.empty()) throw Error(ErrorKind::usage, what + " is empty");
    if (value.find('/') != std::string::npos || value == "." || value == "..")
        throw Error(ErrorKind::usage, what + " '" + value + "' is not a single path component",
                    "use a name without '/' that is not '.' or '..'");
}

void check_name(const std::string& what, const std::string& value) {
    if (value.empty()) throw Error(ErrorKind::usage, what + " name is empty");
}

std::tm utc_now() {
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    return tm;
}

std::string format_tm(const char* format) {
    std::tm tm = utc_now();
    char out[64];
    std::size_t n = std::strftime(out, sizeof out, format, &tm);
    return std::string(out, n);
}

std::string schema_prefix(const std::string& retention, const std::string& database,
                          const std::string& schema) {
    check_component("retention", retention);
    check_name("database", database);
    check_name("schema", schema);
    return retention + "/" + encode_path_component(database) + "/schema/" + encode_path_component(schema) +
           "/";
}

}  // namespace

std::string encode_path_component(const std::string& name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    bool only_dots = name.find_first_not_of('.') == std::string::npos;
    std::string out;
    for (char ch : name) {
        auto c = static_cast<unsigned char>(ch);
        if (is_kept(c) && !(only_dots && c == '.')) {
            out.push_back(ch);
            continue;
        }
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0f]);
    }
    return out;
}

std::string decode_path_component(const std::string& component) {
    auto hex = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        throw Error(ErrorKind::corrupt_artefact,
                    "bad percent-encoding in path component '" + component + "'");
    };
    std::string out;
    for (std::size_t i = 0; i < component.size(); ++i) {
        if (component[i] != '%') {
            out.push_back(component[i]);
            continue;
        }
        if (i + 2 >= component.size())
            throw Error(ErrorKind::corrupt_artefact,
                        "bad percent-encoding in path component '" + component + "'");
        out.push_back(static_cast<char>(hex(component[i + 1]) * 16 + hex(component[i + 2])));
        i += 2;
    }
    return out;
}

bool is_dump_set_timestamp(const std::string& text) {
    if (text.size() != kTimestampLength || text[8] != 'T' || text[15] != 'Z') return false;
    for (std::size_t i = 0; i < 15; ++i)
        if (i != 8 && !(text[i] >= '0' && text[i] <= '9')) return false;
    return true;
}

std::string utc_timestamp_now() {
    return format_tm("%Y%m%dT%H%M%SZ");
}

std::string utc_iso8601_now() {
    return format_tm("%Y-%m-%dT%H:%M:%SZ");
}

std::string join_path(const std::string& dir, const std::string& name) {
    if (dir.empty()) return name;
    if (dir.back() == '/') return dir + name;
    return dir + "/" + name;
}

std::string dump_set_dir(const std::string& retention, const std::string& database, const std::string& schema,
                         const std::string& timestamp) {
    if (!is_dump_set_timestamp(timestamp))
        throw Error(ErrorKind::usage,
                    "dump set timestamp '" + timestamp + "' is not of the form YYYYMMDDTHHMMSSZ");
    return schema_prefix(retention, database, schema) + timestamp;
}

std::string chunk_path(const std::string& table_key, std::uint64_t index) {
    check_component("table key", table_key);
    return fmt::format("data/{}/{:06}.copy.zst", table_key, index);
}

}  // namespace dbclone::dumpset
