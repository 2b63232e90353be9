#pragma once

#include <cstdint>
#include <string>

#include "capture/byte_reader.h"
#include "capture/link_type.h"

namespace trustcap {

// What a link-layer (or tunnel) header says follows it, and where it starts.
struct NetworkPayload {
    enum class Kind : std::uint8_t { ipv4, ipv6, not_ip, malformed };

    Kind kind = Kind::not_ip;
    Bytes bytes;          // from the first byte of the IPv4/IPv6 header on
    std::string problem;  // for malformed: names the layer and what is wrong
};

namespace ethertype {
inline constexpr std::uint16_t ipv4 = 0x0800;
inline constexpr std::uint16_t ipv6 = 0x86DD;
inline constexpr std::uint16_t vlan_8021q = 0x8100;
inline constexpr std::uint16_t vlan_8021ad = 0x88A8;
inline constexpr std::uint16_t vlan_qinq_legacy = 0x9100;
inline constexpr std::uint16_t mpls_unicast = 0x8847;
inline constexpr std::uint16_t mpls_multicast = 0x8848;
inline constexpr std::uint16_t transparent_ethernet_bridging = 0x6558;
}  // namespace ethertype

// Removes the link-layer header of a frame captured on `link_type`.
NetworkPayload decode_link_layer(LinkType link_type, Bytes frame);

// An Ethernet II frame without FCS (as libpcap and ERSPAN deliver it).
NetworkPayload decode_ethernet(Bytes frame);

// The bytes after an EtherType field (Ethernet, SLL, GRE): follows VLAN tags
// and MPLS label stacks to the IP header.
NetworkPayload decode_ethertype_payload(std::uint16_t type, Bytes payload);

// IPv4 or IPv6 as the first nibble says; anything else is not IP.
NetworkPayload classify_by_ip_version(Bytes packet);

}  // namespace trustcap
