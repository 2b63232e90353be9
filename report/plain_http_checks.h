#pragma once

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "report/tls_checks.h"

namespace trustcap {

// A connection speaking plain HTTP (CSLU's http://…:8182/cslu/v1/pi): there
// is no TLS step, and the application data is every request and its answer.
// A request left without an answer fails the step; so does, on a licensing
// connection (`licensing`), the first answer that is not 2xx.
TlsAssessment assess_plain_http(const TcpFlow& flow, const ConnectionFacts& connection, bool licensing);

}  // namespace trustcap
