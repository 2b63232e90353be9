#pragma once

#include <cstdint>

namespace trustcap {

// The servers trustcap knows: Cisco's (smartreceiver.cisco.com, and
// tools.cisco.com of traditional Smart Licensing), an on-prem SSM or CSLU.
enum class ServerKind : std::uint8_t { other, licensing, legacy, onprem };

// How a connection's server was named: by the device's SNI, its CONNECT
// target, a DNS answer, the server's certificate; as a --server, by CSLU's
// port or an on-prem path; as a --proxy; or only as a failed attempt.
enum class NamingSource : std::uint8_t { none, sni, connect, dns, certificate, server, port, path, proxy, attempt };

// "other", "licensing", "legacy", "onprem": the words of the JSON and the reports.
const char* server_kind_id(ServerKind kind);
// Cisco's own servers, whose chain must lead to Cisco's CAs.
bool is_cisco_licensing(ServerKind kind);
// "sni", "connect", ...; "" for none.
const char* naming_source_id(NamingSource source);

}  // namespace trustcap
