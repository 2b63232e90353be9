#pragma once

#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "dissect/tls_summary.h"
#include "report/report.h"

namespace trustcap {

// The flow's evidence packets as rows of a Wireshark-like packet list, with
// Wireshark's wording: "51512 → 443 [SYN] Seq=0 Win=64240 Len=0", "Client
// Hello (SNI=smartreceiver.cisco.com)", "CONNECT smartreceiver.cisco.com:443
// HTTP/1.1". `connection` may be null.
std::vector<TimelineRow> build_timeline(const TcpFlow& flow, const ConnectionFacts* connection,
                                        const TlsSummary& tls);

}  // namespace trustcap
