#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "analysis_session.h"
#include "capture/flow_tracker.h"
#include "capture/live_capture.h"
#include "capture/packet_file_writer.h"
#include "offline_analysis.h"

namespace trustcap {

struct LiveOptions {
    LiveCaptureSettings capture;    // filter empty: the licensing default (see default_live_filter)
    AnalysisOptions analysis;       // targets, ports, trust; its file and filter are unused
    std::optional<double> duration_seconds;
    std::optional<std::uint64_t> count;
    bool until_verdict = false;     // stop when the first licensing flow has been judged
    FlowCompletionTimes flow_completion;
    PacketFileSettings write;       // -w, -C, -W: the packets kept; path empty: none
    std::string user;               // -Z: who to become after opening the interface (see drop_privileges)
};

struct LiveStatus {
    std::string interface;
    AnalysisSession::Progress progress;
    std::uint64_t kernel_drops = 0;
};

// What the caller hears while the capture runs; either may be empty.
struct LiveObserver {
    AnalysisSession::FlowListener flow_judged;
    std::function<void(const LiveStatus& status)> status;  // a few times a second
    // Once the capture runs, with the rights given up, before the first
    // packet: where the caller opens its outputs. False and `error` end the run.
    std::function<bool(std::string& error)> before_first_packet;
};

struct LiveOutcome {
    AnalysisOutcome analysis;
    // --until-verdict: whether the licensing flow that ended the run was healthy.
    std::optional<bool> deciding_flow_healthy;
};

// TCP 443 and the ports of the proxies, servers and --port, DNS, ICMP, and
// GRE (ERSPAN) whole; on Ethernet also inside one or two VLAN tags.
std::string default_live_filter(const AnalysisOptions& analysis, int datalink);

// Captures on an interface until SIGINT/SIGTERM, the duration, the count or
// (--until-verdict) the first licensing flow judged; flows are judged as they
// finish; at the end everything captured is judged like a file.
LiveOutcome analyze_live(const LiveOptions& options, const LiveObserver& observer);

}  // namespace trustcap
