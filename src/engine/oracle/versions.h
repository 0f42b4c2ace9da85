// Version arithmetic the engine decides on: which Data Pump `version` an
// export needs for its target, whether an APEX export installs on the
// target's APEX, and sequence values kept as exact decimal digits (Oracle
// NUMBER(28) does not fit a double or an int64).
#pragma once

#include <string>
#include <vector>

namespace dbclone::oracle {

// "19.0.0.0.0" -> {19, 0, 0, 0, 0}; non-digits end a component.
std::vector<long> version_parts(const std::string& version);
// <0, 0, >0 over the first `depth` components.
int compare_versions(const std::string& a, const std::string& b, std::size_t depth = 5);

// The Data Pump version parameter for a dump made on a source with
// COMPATIBLE `source` and imported on a target with COMPATIBLE `target`:
// "COMPATIBLE" when the target is as new, else the target's first three
// components ("19.0.0").
std::string datapump_version(const std::string& source_compatible, const std::string& target_compatible);

// The Data Pump PARALLEL of a job, and why. `fixed` (--parallel, 0 = not
// given) wins; else the database's CPU_COUNT (text as V$PARAMETER has it;
// empty or not a number: 4, dbclone's former default), at most its
// MAX_DATAPUMP_PARALLEL_PER_JOB when that is a number (AUTO: no cap read
// here), at most `cap` (--max-parallel, 0 = none); never below 1.
struct ParallelChoice {
    int degree = 1;
    std::string reason;
};
ParallelChoice datapump_parallel(const std::string& cpu_count, const std::string& max_per_job, int fixed,
                                 int cap);

// Decimal digits only: a + b, and a < b.
std::string decimal_add(const std::string& a, long long b);
bool decimal_less(const std::string& a, const std::string& b);

}  // namespace dbclone::oracle
