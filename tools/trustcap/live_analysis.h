#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/live_capture.h"
#include "offline_analysis.h"

namespace trustcap {

struct LiveOptions {
    LiveCaptureSettings capture;    // filter empty: the licensing default (see default_live_filter)
    AnalysisOptions analysis;       // targets, ports, trust; its file and filter are unused
    std::optional<double> duration_seconds;
    std::optional<std::uint64_t> count;
    std::string write_file;         // -w: the packets kept, as a pcap
    std::string user;               // -Z: who to become after opening the interface
};

// TCP 443 and the ports of the proxies, servers and --port, DNS, ICMP.
std::string default_live_filter(const AnalysisOptions& analysis);

// Captures on an interface until SIGINT/SIGTERM, the duration or the count,
// then judges what was captured like a file.
AnalysisOutcome analyze_live(const LiveOptions& options);

}  // namespace trustcap
