#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_dissector.h"
#include "dissect/dns_transactions.h"
#include "dissect/tls_summary.h"
#include "report/licensing_targets.h"
#include "report/report.h"

namespace trustcap {

// Everything known about one TCP connection.
struct FlowEvidence {
    const TcpFlow* flow = nullptr;
    const ConnectionDissector* connection = nullptr;  // null when its bytes were not dissected
    TlsSummary tls;
};

struct ReportInputs {
    CaptureSummary capture;
    std::vector<FlowEvidence> flows;  // in the order of their first frame
    const DnsTransactionTable* dns = nullptr;
    LicensingTargets targets;
    std::set<std::uint16_t> checked_ports;  // --port: every connection to these is checked
    std::set<std::uint16_t> attempt_ports;  // 443 and the proxies' ports: unidentified attempts count
};

// Finds the licensing connections, judges each, and judges the capture.
Report build_report(ReportInputs inputs);

}  // namespace trustcap
