#pragma once

#include <string>

#include "capture/tcp_flow.h"
#include "dissect/connection_dissector.h"
#include "dissect/dns_transactions.h"
#include "dissect/tls_summary.h"
#include "report/licensing_targets.h"

namespace trustcap {

// Whom a connection was for, and how trustcap knows.
struct FlowIdentity {
    std::string kind;            // "licensing", "legacy", "onprem", or "" when not a licensing server
    std::string server_name;     // SNI, CONNECT target host or DNS name; empty when none was seen
    std::string identified_by;   // "sni", "connect", "dns", "server", "proxy", or ""
    bool configured_proxy = false;  // the server is a proxy named with --proxy
};

FlowIdentity identify_flow(const TcpFlow& flow, const ConnectionDissector* connection, const TlsSummary& tls,
                           const DnsTransactionTable& dns, const LicensingTargets& targets);

}  // namespace trustcap
