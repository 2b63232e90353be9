#pragma once

#include <vector>

#include "capture/tcp_flow.h"
#include "report/finding.h"
#include "report/step.h"

namespace trustcap {

struct TeardownAssessment {
    StepResult teardown;  // step "teardown"
    std::vector<Finding> findings;
};

// What the flow's steps before the teardown showed.
struct TeardownContext {
    StepStatus handshake = StepStatus::unknown;
    bool exchange_completed = false;  // the request was answered
    bool one_sided = false;
};

// Both FINs mean the close happened (the last ACK is not needed). A reset
// after both FINs, after the other side's FIN or after a completed exchange
// is an abortive close: worth a warning, not a failure. A reset before the
// exchange completed ended it.
TeardownAssessment assess_teardown(const TcpFlow& flow, const TeardownContext& context);

}  // namespace trustcap
