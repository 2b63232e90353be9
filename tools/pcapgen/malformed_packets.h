#pragma once

#include "byte_writer.h"
#include "network_layer_builder.h"

#include <cstddef>
#include <span>

namespace pcapgen {

// An IPv4 packet that ends inside its own header: the header says it is 60 bytes long (IHL 15, a Record Route
// option with room for nine addresses; total length 60), but only its first `kept_bytes` bytes are there, as a
// faulty NIC or mirroring port might deliver it. `header.options` is replaced by that option.
Bytes ipv4_packet_cut_inside_header(Ipv4Header header, std::size_t kept_bytes);

// The device's Ethernet frame to its gateway carrying `ip_packet` and nothing after it: not padded to the 60-byte
// minimum, a runt when the packet is shorter than 46 bytes.
Bytes unpadded_device_ethernet_frame(std::span<const std::uint8_t> ip_packet);

}  // namespace pcapgen
