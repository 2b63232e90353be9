#pragma once

#include <ostream>
#include <string>

#include "report/report.h"

namespace trustcap {

// The JSON contract of the README's "JSON" section (schema_version 1), written flow by flow
// so that a report of many flows is never held in memory as one document.
void write_json(std::ostream& out, const Report& report, const std::string& tool_version);

std::string to_json(const Report& report, const std::string& tool_version);

}  // namespace trustcap
