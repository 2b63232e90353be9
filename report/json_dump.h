#pragma once

#include <string>

#include "report/json_values.h"

namespace trustcap {

// `value` as JSON text (indented by `indent` spaces per level, or on one line
// when -1), every string and member name first passed through json_text:
// always valid UTF-8, whatever bytes the capture held.
std::string dump_json(Json value, int indent);

}  // namespace trustcap
