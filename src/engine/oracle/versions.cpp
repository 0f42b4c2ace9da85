#include "engine/oracle/versions.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace dbclone::oracle {

std::vector<long> version_parts(const std::string& version) {
    std::vector<long> parts;
    long current = -1;
    for (char c : version) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            current = (current < 0 ? 0 : current) * 10 + (c - '0');
        } else {
            if (current >= 0) parts.push_back(current);
            current = -1;
            if (c != '.') break;
        }
    }
    if (current >= 0) parts.push_back(current);
    return parts;
}

int compare_versions(const std::string& a, const std::string& b, std::size_t depth) {
    auto x = version_parts(a), y = version_parts(b);
    for (std::size_t i = 0; i < depth; ++i) {
        long p = i < x.size() ? x[i] : 0, q = i < y.size() ? y[i] : 0;
        if (p != q) return p < q ? -1 : 1;
    }
    return 0;
}

std::string datapump_version(const std::string& source_compatible, const std::string& target_compatible) {
    if (compare_versions(target_compatible, source_compatible, 3) >= 0) return "COMPATIBLE";
    auto t = version_parts(target_compatible);
    if (t.empty())
        throw Error(ErrorKind::sql, "the target reported COMPATIBLE '" + target_compatible + "'",
                    "expected a version such as 19.0.0");
    t.resize(3, 0);
    return std::to_string(t[0]) + "." + std::to_string(t[1]) + "." + std::to_string(t[2]);
}

namespace {

std::string digits_only(const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
        throw Error(ErrorKind::sql, "the server returned '" + s + "' where a whole number was expected");
    auto first = s.find_first_not_of('0');
    return first == std::string::npos ? "0" : s.substr(first);
}

}  // namespace

std::string decimal_add(const std::string& a, long long b) {
    if (b < 0) throw Error(ErrorKind::internal, "decimal_add takes a non-negative addend");
    std::string x = digits_only(a), y = std::to_string(b), out;
    int carry = 0;
    for (std::size_t i = 0; i < std::max(x.size(), y.size()) || carry; ++i) {
        int d = carry;
        if (i < x.size()) d += x[x.size() - 1 - i] - '0';
        if (i < y.size()) d += y[y.size() - 1 - i] - '0';
        out.push_back(static_cast<char>('0' + d % 10));
        carry = d / 10;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

bool decimal_less(const std::string& a, const std::string& b) {
    std::string x = digits_only(a), y = digits_only(b);
    return x.size() != y.size() ? x.size() < y.size() : x < y;
}

}  // namespace dbclone::oracle
