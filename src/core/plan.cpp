#include "core/plan.h"

#include <fmt/format.h>

#include <sstream>

#include "core/error.h"

namespace dbclone {

Step& Plan::add(Step step) {
    for (const auto& s : steps_)
        if (s.id == step.id) throw Error(ErrorKind::internal, "duplicate plan step id " + step.id);
    steps_.push_back(std::move(step));
    return steps_.back();
}

std::string Plan::render_text() const {
    std::ostringstream out;
    out << "plan: " << command_ << "\n";
    int n = 1;
    for (const auto& s : steps_) {
        out << fmt::format("{:>3}. [{}] {}\n", n++, s.id, s.title);
        if (!s.detail.empty()) {
            std::istringstream lines(s.detail);
            std::string line;
            while (std::getline(lines, line)) out << "       " << line << "\n";
        }
    }
    return out.str();
}

nlohmann::json Plan::render_json() const {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : steps_) steps.push_back({{"id", s.id}, {"title", s.title}, {"detail", s.detail}});
    return {{"command", command_}, {"steps", steps}};
}

}  // namespace dbclone
