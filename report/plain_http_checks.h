#pragma once

#include "capture/tcp_flow.h"
#include "dissect/connection_dissector.h"
#include "report/tls_checks.h"

namespace trustcap {

// A connection speaking plain HTTP (CSLU's http://…:8182/cslu/v1/pi): there
// is no TLS step, and the application data is the request and its answer.
TlsAssessment assess_plain_http(const TcpFlow& flow, const HttpExchange& http);

}  // namespace trustcap
