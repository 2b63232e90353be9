#pragma once

#include <cstdint>

#include "capture/byte_reader.h"
#include "capture/link_layer.h"

namespace trustcap {

inline constexpr std::uint8_t ip_protocol_gre = 47;

// Removes a GRE header (RFC 2784/2890, version 0) and whatever it carries
// before the inner IP packet: transparent Ethernet bridging, or an ERSPAN
// type I/II/III header and the mirrored Ethernet frame. `gre` starts at the
// GRE header (the IP payload). GRE version 1 (PPTP) and payloads that are not
// IP come back as not_ip.
NetworkPayload decode_gre(Bytes gre);

}  // namespace trustcap
