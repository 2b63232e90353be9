#pragma once

#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "dissect/tls_summary.h"
#include "report/finding.h"

namespace trustcap {

// What trustcap's own limits kept it from reading on one connection, and the
// certificate keys it refused to use: each a finding naming the limit, its
// figure and the frame, so that a report that says less says why.
std::vector<Finding> assess_dissection_limits(const TcpFlow& flow, const ConnectionFacts& connection,
                                              const TlsSummary& tls);

}  // namespace trustcap
