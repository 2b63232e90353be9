#pragma once

#include "addresses.h"
#include "byte_writer.h"

#include <cstdint>
#include <span>
#include <vector>

namespace pcapgen {

inline constexpr std::uint8_t ip_protocol_icmp = 1;
inline constexpr std::uint8_t ip_protocol_tcp = 6;
inline constexpr std::uint8_t ip_protocol_udp = 17;
inline constexpr std::uint8_t ip_protocol_gre = 47;
inline constexpr std::uint8_t ip_protocol_icmpv6 = 58;
inline constexpr std::uint8_t ipv6_header_hop_by_hop = 0;
inline constexpr std::uint8_t ipv6_header_routing = 43;
inline constexpr std::uint8_t ipv6_header_fragment = 44;
inline constexpr std::uint8_t ipv6_header_destination_options = 60;

struct Ipv4Header {
    IpAddress source;
    IpAddress destination;
    std::uint8_t protocol = ip_protocol_tcp;
    std::uint16_t identification = 0;
    std::uint8_t ttl = 64;
    std::uint8_t type_of_service = 0;
    bool dont_fragment = true;
    Bytes options;  // padded with End-of-Options-List to a multiple of 4
};

Bytes ipv4_packet(const Ipv4Header& header, std::span<const std::uint8_t> payload);

// Fragments in offset order; every fragment payload but the last is a multiple of 8 bytes.
std::vector<Bytes> ipv4_fragments(const Ipv4Header& header, std::span<const std::uint8_t> payload,
                                  std::size_t max_fragment_payload);

// A hop-by-hop or destination-options header; the options are padded with Pad1/PadN.
struct Ipv6ExtensionHeader {
    std::uint8_t header_type = ipv6_header_destination_options;
    Bytes options;
};

struct Ipv6Header {
    IpAddress source;
    IpAddress destination;
    std::uint8_t upper_layer_protocol = ip_protocol_tcp;
    std::uint8_t hop_limit = 64;
    std::uint8_t traffic_class = 0;
    std::uint32_t flow_label = 0;
    std::vector<Ipv6ExtensionHeader> extension_headers;  // in packet order
};

Bytes ipv6_packet(const Ipv6Header& header, std::span<const std::uint8_t> upper_layer_payload);

// Hop-by-hop headers stay in every fragment; other extension headers travel in the fragmentable part.
std::vector<Bytes> ipv6_fragments(const Ipv6Header& header, std::span<const std::uint8_t> upper_layer_payload,
                                  std::size_t max_fragment_payload, std::uint32_t identification);

inline constexpr std::uint8_t icmp_type_destination_unreachable = 3;
inline constexpr std::uint8_t icmp_code_communication_administratively_prohibited = 13;
inline constexpr std::uint8_t icmpv6_type_destination_unreachable = 1;
inline constexpr std::uint8_t icmpv6_code_administratively_prohibited = 1;

// The ICMP message only; quotes as much of the offending packet as fits a 576-byte datagram.
Bytes icmpv4_destination_unreachable(std::uint8_t code, std::span<const std::uint8_t> offending_packet);

// The ICMPv6 message only; quotes as much as fits the 1280-byte minimum MTU.
Bytes icmpv6_destination_unreachable(std::uint8_t code, const IpAddress& source, const IpAddress& destination,
                                     std::span<const std::uint8_t> offending_packet);

}  // namespace pcapgen
