#pragma once

#include <optional>
#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "report/finding.h"
#include "report/report.h"
#include "report/step.h"

namespace trustcap {

struct ProxyAssessment {
    StepResult connect;  // step "connect"
    std::vector<Finding> findings;
    std::optional<ProxyReport> proxy;
    bool refused = false;  // the tunnel was not opened
};

// Judges the CONNECT exchange of a connection to a proxy (n/a for direct
// connections). `configured_proxy` is true when the user named this server
// with --proxy.
ProxyAssessment assess_proxy(const TcpFlow& flow, const std::optional<HttpExchange>& http, bool configured_proxy);

}  // namespace trustcap
