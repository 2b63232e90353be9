#pragma once

#include <set>

#include "capture/tcp_flow.h"
#include "dissect/connection_dissector.h"
#include "dissect/dns_transactions.h"
#include "report/licensing_targets.h"

namespace trustcap {

// Decides, at a connection's Client Hello, whether it may be a licensing
// connection worth keeping: identified (see identify_flow) from its SNI,
// CONNECT target or an earlier DNS answer, or to a proxy or port the user
// named, or everything with --all-flows.
ConnectionDissector::InterestTest licensing_interest(const TcpFlow& flow, const DnsTransactionTable& dns,
                                                     const LicensingTargets& targets,
                                                     const std::set<std::uint16_t>& checked_ports);

}  // namespace trustcap
