#pragma once

#include "addresses.h"
#include "byte_writer.h"

#include <cstdint>
#include <span>

namespace pcapgen {

inline constexpr std::uint16_t ethertype_ipv4 = 0x0800;
inline constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
inline constexpr std::uint16_t ethertype_8021q = 0x8100;
inline constexpr std::uint16_t ethertype_8021ad = 0x88a8;
inline constexpr std::uint16_t ethertype_mpls_unicast = 0x8847;

inline constexpr std::uint16_t arphrd_ether = 1;

struct VlanTag {
    std::uint16_t tag_protocol_id = ethertype_8021q;
    std::uint16_t vlan_id = 0;
    std::uint8_t priority = 0;
};

// Without FCS; padded to the 60-byte minimum as a NIC would put it on the wire.
Bytes ethernet_frame(const MacAddress& destination, const MacAddress& source, std::span<const VlanTag> tags,
                     std::uint16_t ethertype, std::span<const std::uint8_t> payload);

enum class LinuxPacketType : std::uint16_t {
    to_this_host = 0,
    broadcast = 1,
    multicast = 2,
    to_other_host = 3,
    outgoing = 4,
};

// DLT_LINUX_SLL: the 16-byte "cooked" header of Linux "any" captures.
Bytes linux_sll_frame(LinuxPacketType packet_type, std::uint16_t arphrd_type,
                      std::span<const std::uint8_t> link_address, std::uint16_t protocol,
                      std::span<const std::uint8_t> payload);

// DLT_LINUX_SLL2: the 20-byte header that also carries the interface index.
Bytes linux_sll2_frame(std::uint16_t protocol, std::uint32_t interface_index, std::uint16_t arphrd_type,
                       LinuxPacketType packet_type, std::span<const std::uint8_t> link_address,
                       std::span<const std::uint8_t> payload);

// DLT_NULL: a 4-byte address family in the byte order of the capturing host.
Bytes bsd_loopback_frame(std::uint32_t address_family, std::span<const std::uint8_t> payload);

struct MplsLabel {
    std::uint32_t label = 0;
    std::uint8_t traffic_class = 0;
    std::uint8_t ttl = 64;
};

// Outermost label first; the bottom-of-stack bit is set on the last one.
Bytes mpls_label_stack(std::span<const MplsLabel> labels, std::span<const std::uint8_t> payload);

}  // namespace pcapgen
