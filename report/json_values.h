#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace trustcap {

// The JSON values of the report's contract (README, "JSON"), shared by the report document
// and the event stream. `digits`: fractional digits of times.
using Json = nlohmann::ordered_json;

Json finding_json(const Finding& finding);
Json flow_json(const FlowReport& flow, int digits);
Json capture_json(const CaptureSummary& capture);
// The report's members before "flows" and "findings".
Json report_head_json(const Report& report, const std::string& tool_version);

}  // namespace trustcap
