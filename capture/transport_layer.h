#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/byte_reader.h"
#include "capture/packet.h"

namespace trustcap {

// Parses the TCP, UDP, ICMP or ICMPv6 header at the start of `ip_payload`
// (the bytes after all IP headers, `payload_wire_length` of them on the wire)
// and fills `packet`'s transport, ports, tcp, icmp, payload and
// payload_wire_length. Other protocols leave transport `other` with the IP
// payload as payload. Returns the problem when the header is malformed.
[[nodiscard]] std::optional<std::string> decode_transport(std::uint8_t protocol, Bytes ip_payload,
                                                          std::uint32_t payload_wire_length, DecodedPacket& packet);

}  // namespace trustcap
