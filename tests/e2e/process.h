#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trustcap::testing {

struct ProcessResult {
    int exit_status = -1;
    std::string standard_output;
    std::string standard_error;
    std::uint64_t peak_memory_kib = 0;  // the program's largest resident set
};

// Runs a program with arguments (no shell) and collects its output.
ProcessResult run_process(const std::vector<std::string>& arguments);

}  // namespace trustcap::testing
