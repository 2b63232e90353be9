#pragma once

#include <vector>

#include "capture/tcp_flow.h"
#include "report/finding.h"
#include "report/step.h"

namespace trustcap {

struct TcpAssessment {
    StepResult handshake;  // step "tcp"
    std::vector<Finding> findings;
    bool one_sided = false;  // only one direction was captured
};

// Judges the TCP handshake of one flow, the resets it outlived, and what the
// capture could not show of it (one side missing, packets cut, segments
// missing). The teardown is judged once the exchange is (teardown_checks.h).
TcpAssessment assess_tcp(const TcpFlow& flow);

// The status assess_tcp gives the handshake, without the texts of its findings.
StepStatus tcp_handshake_status(const TcpFlow& flow);

}  // namespace trustcap
