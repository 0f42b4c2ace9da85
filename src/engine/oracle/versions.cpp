#include "engine/oracle/versions.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace dbclone::oracle {

namespace {

// A whole positive number of at most 6 digits, else 0.
int small_count(const std::string& text) {
    if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos)
        return 0;
    return std::stoi(text);
}

}  // namespace

ParallelChoice datapump_parallel(const std::string& cpu_count, const std::string& max_per_job, int fixed,
                                 int cap) {
    if (fixed > 0) return {fixed, "--parallel " + std::to_string(fixed)};
    ParallelChoice c;
    const int cpus = small_count(cpu_count);
    if (cpus > 0) {
        c.degree = cpus;
        c.reason = "CPU_COUNT " + std::to_string(cpus);
    } else {
        c.degree = 4;
        c.reason = "CPU_COUNT not readable, default 4";
    }
    if (const int limit = small_count(max_per_job); limit > 0 && limit < c.degree) {
        c.degree = limit;
        c.reason += ", capped by MAX_DATAPUMP_PARALLEL_PER_JOB " + std::to_string(limit);
    }
    if (cap > 0 && cap < c.degree) {
        c.degree = cap;
        c.reason += ", capped by --max-parallel " + std::to_string(cap);
    }
    c.degree = std::max(c.degree, 1);
    return c;
}

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
