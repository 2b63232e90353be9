#pragma once

#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "dissect/tls_summary.h"
#include "report/finding.h"
#include "report/step.h"

namespace trustcap {

struct TlsAssessment {
    StepResult handshake;  // step "tls"
    StepResult appdata;    // step "appdata"
    std::vector<Finding> findings;
};

struct TlsContext {
    const TcpFlow& flow;
    const TlsFacts& tls;
    const TlsSummary& summary;
    StepStatus tcp_status;    // the tcp step's outcome
    bool tunnel_refused;      // a proxy answered the CONNECT with an error
    bool expect_public_chain; // the server should present a chain the trust store verifies
    const HttpExchange* tunnel = nullptr;  // the CONNECT that opened a proxy tunnel, if the TLS runs in one
};

// Judges the TLS handshake and the application data of one connection.
TlsAssessment assess_tls(const TlsContext& context);

}  // namespace trustcap
