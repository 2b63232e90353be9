#pragma once

#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "report/finding.h"
#include "report/flow_identity.h"
#include "report/licensing_targets.h"

namespace trustcap {

// What a licensing connection shows of the device's configuration: the
// legacy server (tools.cisco.com), or a proxy named with --proxy that the
// device did not use.
std::vector<Finding> assess_configuration(const TcpFlow& flow, const FlowIdentity& identity,
                                          const ConnectionFacts* connection, bool through_proxy,
                                          const LicensingTargets& targets);

}  // namespace trustcap
