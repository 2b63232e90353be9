#pragma once

#include <vector>

#include "report/report.h"
#include "report/report_builder.h"

namespace trustcap {

// When the capture itself lost packets while a flow was open, a step that
// failed for want of a packet (no SYN-ACK, no answer, no teardown) may have
// happened unseen: such a step becomes `unknown`, findings that rest on the
// absence are softened, and a finding says why. A failure shown by a packet
// that was captured (a reset, an ICMP error, a TLS alert, a proxy's answer,
// bytes that are not TLS, a handshake ended by a FIN) stands.
void account_for_capture_loss(FlowReport& report, const FlowEvidence& evidence, const std::vector<CaptureLoss>& losses);

}  // namespace trustcap
