#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "report/report.h"

namespace trustcap {

struct AnalysisOptions {
    std::string file;  // "-" for standard input
    std::string filter;  // BPF, applied per frame so numbering stays Wireshark's
    std::set<std::uint16_t> ports{443};
    std::size_t max_flows = 200'000;  // flow-table entries kept at once
};

struct AnalysisOutcome {
    bool usable = false;
    std::string error;  // one line, when not usable
    Report report;
};

// Reads a capture file and judges every checked flow in it.
AnalysisOutcome analyze_file(const AnalysisOptions& options);

}  // namespace trustcap
