#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trustcap {

enum class StepName { connect, tcp, tls, appdata, teardown };
enum class StepStatus { pass, fail, not_seen, unknown, not_applicable };

struct StepResult {
    StepName name = StepName::tcp;
    StepStatus status = StepStatus::unknown;
    std::vector<std::uint64_t> frames;
    std::string detail;
};

const char* step_name(StepName name);        // "connect", "tcp", ...
const char* step_status_name(StepStatus status);  // "pass", "fail", "not_seen", "unknown", "n/a"

}  // namespace trustcap
