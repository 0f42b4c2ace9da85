#include "engine/oracle/datapump_log.h"

#include <regex>
#include <sstream>

namespace dbclone::oracle {

DatapumpLog parse_datapump_log(const std::string& text) {
    DatapumpLog v;
    std::istringstream in(text);
    std::string line;
    static const std::regex error_line(R"((ORA|PLS|KUP)-[0-9]{5})");
    // . . exported "OWNER"."TABLE":"PARTITION"   5.093 KB   12 rows [in 1 seconds ...]
    static const std::regex rows_line(
        R"re(^\s*\. \. (?:exported|imported) "[^"]+"\."([^"]+)"(?::"[^"]+")?(?::"[^"]+")?\s.*?\b([0-9]+) rows\b)re");
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        v.last_line = line;
        std::smatch m;
        if (std::regex_search(line, m, rows_line)) v.rows[m[1].str()] += std::stoll(m[2].str());
        if (std::regex_search(line, error_line)) v.errors.push_back(line);
    }
    v.success = v.last_line.find("successfully completed") != std::string::npos;
    v.with_errors = std::regex_search(v.last_line, std::regex(R"(completed with [0-9]+ error)"));
    return v;
}

std::vector<std::string> unexpected_import_errors(const DatapumpLog& log, const std::string& target_schema) {
    std::vector<std::string> out;
    const std::string user_exists = "ORA-31684: Object type USER:\"" + target_schema + "\" already exists";
    for (const auto& e : log.errors) {
        if (e.find(user_exists) != std::string::npos) continue;
        if (e.find("ORA-39082:") != std::string::npos) continue;
        out.push_back(e);
    }
    return out;
}

std::string dump_versions_note(const DumpVersions& v) {
    return "dbclone: dump version " + v.dump_version + "; source database " + v.source_version +
           ", COMPATIBLE " + v.source_compatible + ", APEX " + v.source_apex;
}

std::optional<DumpVersions> parse_dump_versions(const std::string& log_text) {
    static const std::regex note(
        R"(dbclone: dump version ([0-9][0-9.]*); source database ([^,\r\n]*), COMPATIBLE ([0-9][0-9.]*), APEX ([^\s;,]*))");
    std::smatch m;
    if (!std::regex_search(log_text, m, note)) return std::nullopt;
    return DumpVersions{m[1].str(), m[2].str(), m[3].str(), m[4].str()};
}

}  // namespace dbclone::oracle
