#pragma once

#include <string>

#include "report/report.h"

namespace trustcap {

// The whole report in one sentence, for the top of the text report and for
// scripts: "The licensing connection to smartreceiver.cisco.com failed at
// step tls: the server sent a fatal TLS alert: Unknown CA (frame 719)".
std::string diagnose(const Report& report);

// One connection in one sentence, without the final full stop.
std::string diagnose_flow(const FlowReport& flow);

}  // namespace trustcap
