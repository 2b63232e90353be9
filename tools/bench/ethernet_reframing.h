#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace bench {

// A frame of another link type as the Ethernet frame a span port would have
// carried: raw IP, BSD loopback and Linux cooked (SLL, SLL2) frames get an
// Ethernet header with the same network-layer protocol. Nothing for a link
// type without an IP packet in it.
std::optional<std::vector<std::uint8_t>> as_ethernet_frame(int link_type, std::span<const std::uint8_t> frame);

}  // namespace bench
