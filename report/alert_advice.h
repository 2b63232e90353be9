#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/finding.h"

namespace trustcap {

// What a TLS alert most likely means in a licensing exchange, depending on
// who sent it, and what to change.
struct AlertAdvice {
    Severity severity = Severity::error;
    std::string what_happened;  // "rejected the device's certificate"; empty: the sender ended the handshake
    std::string likely_cause;
    std::vector<std::string> fix;
};

// `public_server`: the server should present a chain from a public CA (the
// Cisco cloud), not its own (an on-prem SSM or CSLU).
AlertAdvice advice_for_alert(std::uint8_t description, bool sent_by_server, bool public_server = true);

}  // namespace trustcap
