#pragma once

#include <ostream>

#include "report/report.h"

namespace trustcap {

// A flow's timeline as an inline SVG sequence ("ladder") diagram for the
// HTML report: a lifeline for the device, one for the proxy when there is
// one, one for the server; an arrow per timeline row, its frame in
// data-frame (class "arrow", or "arrow failing" with a text marker when an
// error or warning finding of the flow names its frame, or it ends a failed
// step none of whose frames such a finding names); TLS through a proxy's
// open tunnel drawn to the server, relayed at the proxy; TLS 1.3 messages
// inferred from record sizes dashed and marked "inferred"; at the side a
// band per step over the rows of its frames. Text from the capture is escaped and
// shortened with an ellipsis; each arrow's <title> holds it in full.
void write_ladder_diagram(std::ostream& out, const FlowReport& flow, const CaptureSummary& capture);

// How the HTML report shows a step's status besides its colour.
const char* status_glyph(StepStatus status);  // ✓ ✗ ? –
const char* status_word(StepStatus status);   // "PASS", "FAIL", "NOT SEEN", "UNKNOWN", "N/A"
// The CSS class of a status: "pass", "fail", "unknown" (not seen too), "na".
const char* status_class(StepStatus status);

}  // namespace trustcap
