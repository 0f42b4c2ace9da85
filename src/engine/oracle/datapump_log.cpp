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

}  // namespace dbclone::oracle
