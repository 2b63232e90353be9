#pragma once

#include <ostream>
#include <string>

#include "report/report.h"

namespace trustcap {

// The event stream of a run, one line per event, for people watching a live
// capture (text) and for pipelines (NDJSON: one JSON object per line with an
// "event" member). Every line is flushed as it is written.

// "<time>  flow 3  10.0.0.5:51512 → 146.112.59.25:443  PROBLEM  <the flow in one sentence>"
void write_flow_line(std::ostream& out, const FlowReport& flow, int digits);

// {"event":"flow","licensing":…,"flow":{…}}, then {"event":"finding",…} for each of its findings.
void write_flow_events(std::ostream& out, const FlowReport& flow, bool licensing, int digits);

// {"event":"finding",…} for each capture-wide finding, then
// {"event":"report","report":{…}}: the whole report of the run.
void write_report_events(std::ostream& out, const Report& report, const std::string& tool_version);

}  // namespace trustcap
