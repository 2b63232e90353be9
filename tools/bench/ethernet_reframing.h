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

// Where an Ethernet frame's network-layer packet starts, past any VLAN tags
// (802.1Q, 802.1ad, 0x9100), and its EtherType.
struct NetworkLayer {
    std::size_t offset;
    std::uint16_t ethertype;
};
std::optional<NetworkLayer> network_layer_of(std::span<const std::uint8_t> ethernet_frame);

}  // namespace bench
