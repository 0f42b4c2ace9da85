// A plan is the ordered list of named steps a command will run. It is built
// before anything touches a target, so `dbclone plan ...` prints exactly what
// will run (with the SQL/PL/SQL where an engine has it), and the journal
// records finished steps by their stable ids so a failed run resumes.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dbclone {

class Journal;
class Progress;

struct StepContext {
    Journal& journal;
    Progress& progress;
};

struct Step {
    std::string id;      // stable across runs: the journal key ("copy-data")
    std::string title;   // one line for people ("copy table data, 4 jobs")
    std::string detail;  // what `plan` prints under the title: SQL, PL/SQL or a list
    std::function<void(StepContext&)> run;
    // Steps that establish session state (connect, snapshot) run again on resume.
    bool rerun_on_resume = false;
};

class Plan {
public:
    explicit Plan(std::string command) : command_(std::move(command)) {}

    Step& add(Step step);
    const std::string& command() const { return command_; }
    const std::vector<Step>& steps() const { return steps_; }
    std::vector<Step>& steps() { return steps_; }

    std::string render_text() const;
    nlohmann::json render_json() const;

private:
    std::string command_;
    std::vector<Step> steps_;
};

}  // namespace dbclone
