#pragma once

#include "flow_recorder.h"
#include "tcp_conversation.h"

#include <chrono>

namespace pcapgen {

// The device's connection to the HTTPS proxy 10.20.30.8:3128 (`license smart proxy address/port`).
TcpConversation proxy_conversation();
HostIpProfile proxy_ip_profile();

// The proxy's reply to CONNECT comes after it has reached smartreceiver.cisco.com itself.
inline constexpr std::chrono::nanoseconds proxy_upstream_connect_time = std::chrono::nanoseconds(31'604'288);
inline constexpr std::chrono::nanoseconds proxy_local_reply_time = std::chrono::nanoseconds(1'204'733);

// "CONNECT smartreceiver.cisco.com:443 HTTP/1.1": one frame.
void record_connect_to_smartreceiver(FlowRecorder& recorder);

// The TCP handshake with the proxy, the CONNECT and its "200 Connection established": the tunnel is open.
void record_tunnel_to_smartreceiver(FlowRecorder& recorder);

}  // namespace pcapgen
