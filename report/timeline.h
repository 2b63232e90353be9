#pragma once

#include <vector>

#include "capture/tcp_flow.h"
#include "report/report.h"

namespace trustcap {

// The flow's evidence packets as rows of a Wireshark-like packet list, with
// Wireshark's Info wording ("51512 → 443 [SYN] Seq=0 Win=64240 Len=0").
std::vector<TimelineRow> build_timeline(const TcpFlow& flow);

}  // namespace trustcap
