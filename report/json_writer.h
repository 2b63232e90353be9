#pragma once

#include <string>

#include "report/report.h"

namespace trustcap {

// The JSON contract of DESIGN.md (schema_version 1).
std::string to_json(const Report& report, const std::string& tool_version);

}  // namespace trustcap
