#include "core/redact.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

namespace dbclone {

namespace {

// Every line that is logged or printed goes through redact(), so it is one
// RE2 pass (linear time, no backtracking) over the text with one pattern:
// the three secret shapes and the registered values as alternatives. The
// capture groups say which one matched and what is kept around the mask.
const char* const kShapes =
    // 1: scheme://user of a URI whose password follows.
    R"(([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]*@)"
    // 2, 3: password=... (key and '=' kept). Not "password => :password":
    // PL/SQL named arguments in plans are not secrets; the value may not
    // start with '>'.
    R"(|(?i:(password|passwd|pwd|secret|token)(\s*=\s*))(?:'(?:\\.|[^'])*'|[^\s>]\S*))"
    // 4, 5: an Authorization header's scheme is kept, its credentials not.
    R"(|(?i:(Authorization:\s*)(Basic|Bearer))\s+\S+)";
constexpr int kGroups = 5;

struct State {
    std::mutex mutex;
    std::vector<std::string> secrets;
    std::shared_ptr<const RE2> pattern;
};

State& state() {
    static State s;
    return s;
}

// Bytes, not UTF-8: a secret or a server's text need not be valid UTF-8.
std::shared_ptr<const RE2> compile(const std::vector<std::string>& secrets) {
    std::string pattern = kShapes;
    // Longest first: of two secrets where one starts the other, the whole
    // longer one is masked.
    std::vector<std::string> sorted = secrets;
    std::sort(sorted.begin(), sorted.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& s : sorted) {
        pattern += '|';
        pattern += RE2::QuoteMeta(s);
    }
    RE2::Options options(RE2::Latin1);
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(pattern, options);
    return re->ok() ? re : nullptr;
}

std::shared_ptr<const RE2> current_pattern() {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (!s.pattern) s.pattern = compile(s.secrets);
    return s.pattern;
}

}  // namespace

void register_secret(std::string value) {
    // Very short values would mask ordinary words; they are weak secrets anyway.
    if (value.size() < 4) return;
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (std::find(s.secrets.begin(), s.secrets.end(), value) != s.secrets.end()) return;
    s.secrets.push_back(std::move(value));
    s.pattern.reset();  // compiled again, with the new value, on the next redact()
}

std::string redact(std::string_view text) {
    const auto re = current_pattern();
    // The pattern is built from fixed shapes and quoted literals; it cannot
    // fail to compile, and a redact() that returned text unmasked would leak.
    if (!re) return "*****";
    const re2::StringPiece input(text.data(), text.size());
    re2::StringPiece group[kGroups + 1];
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size() && re->Match(input, pos, text.size(), RE2::UNANCHORED, group, kGroups + 1)) {
        const auto start = static_cast<std::size_t>(group[0].data() - text.data());
        out.append(text.substr(pos, start - pos));
        if (group[1].data() != nullptr) {
            out.append(group[1].data(), group[1].size()).append(":*****@");
        } else if (group[2].data() != nullptr) {
            out.append(group[2].data(), group[2].size())
                .append(group[3].data(), group[3].size())
                .append("*****");
        } else if (group[4].data() != nullptr) {
            out.append(group[4].data(), group[4].size())
                .append(group[5].data(), group[5].size())
                .append(" *****");
        } else {
            out.append("*****");  // a registered secret
        }
        pos = start + group[0].size();
        if (group[0].empty()) {  // no alternative matches the empty string; should one, the scan advances
            if (start < text.size()) out += text[start];
            ++pos;
        }
    }
    if (pos < text.size()) out.append(text.substr(pos));
    return out;
}

}  // namespace dbclone
