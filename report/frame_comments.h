#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "report/report.h"

namespace trustcap {

// A packet comment for every evidence frame of the report, as Wireshark shows
// them (frame.comment, Expert Information): "trustcap: tls.alert.unknown_ca
// (error, flow 2): The server rejected the device's certificate". Findings
// that share a frame share its comment, one after the other. Text from the
// capture is made printable (terminal_text); a comment that would not leave
// 64 bytes free in a pcapng option (65535) is cut, with an ellipsis.
std::map<std::uint64_t, std::string> frame_comments(const Report& report);

}  // namespace trustcap
