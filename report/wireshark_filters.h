#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/ip_address.h"
#include "report/report.h"

namespace trustcap {

// Display filters that take a report's reader from trustcap to Wireshark, in
// the syntax of Wireshark 4.0 and later.

// "tcp.stream eq 7": the flow's conversation as Wireshark numbers it in the
// same file; empty when the stream is not known (see TcpStreamNumbering).
std::string stream_filter(const FlowReport& flow);

// The filter of Wireshark's Conversation Filter menu for the flow's two
// endpoints: "ip.addr eq 10.0.0.1 and ip.addr eq 10.0.0.2 and tcp.port eq
// 51512 and tcp.port eq 443" (ipv6.addr for IPv6). Also matches an earlier or
// later connection that reused the same ports.
std::string conversation_filter(const Endpoint& one, const Endpoint& other);

// Why some flows have no tcp.stream though the capture was numbered, for
// the report's header: "Wireshark stream numbers are not given from frame 812
// on (IP in IP, which trustcap does not decode): flows 4 and 5 name their
// conversation filter instead." Nullopt when every flow has its number, or
// when none could have one (--filter, live).
std::optional<std::string> unnumbered_streams_note(const Report& report);

// "frame.number in {4, 9, 12}"; empty for no frame.
std::string frames_filter(const std::vector<std::uint64_t>& frames);

}  // namespace trustcap
