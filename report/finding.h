#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trustcap {

enum class Severity { info, warning, error };

// Evidence plus advice: what was seen, why it matters, the frames that prove
// it, and what to change on the device (IOS XE) or in the network.
struct Finding {
    std::string id;  // stable, dotted, lower case: "tcp.no_synack"
    Severity severity = Severity::error;
    std::optional<std::uint64_t> flow;  // the flow's id; none for capture-wide findings
    std::string summary;
    std::string explanation;
    std::vector<std::uint64_t> frames;
    std::vector<std::string> fix;
};

const char* severity_name(Severity severity);

}  // namespace trustcap
