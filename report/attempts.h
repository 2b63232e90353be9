#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/report.h"

namespace trustcap {

// The server a connection went to, as people name it: its name, or its address and port.
std::string server_of(const FlowReport& flow);

// The first step of a connection that failed, if one did.
std::optional<StepName> failed_step(const FlowReport& flow);

// Groups the connections from one device to one server, each group in the
// order its connections began.
std::vector<AttemptGroup> group_attempts(const std::vector<FlowReport>& flows);

// What decides a group: its last attempt.
const FlowReport& last_attempt(const Report& report, const AttemptGroup& group);

// Two failed attempts failed the same way: at the same step, for the same reason.
bool failed_alike(const FlowReport& a, const FlowReport& b);

// A connection that failed (a step failed, or an error was found), as
// opposed to one the capture cannot judge.
bool attempt_failed(const FlowReport& flow);

}  // namespace trustcap
