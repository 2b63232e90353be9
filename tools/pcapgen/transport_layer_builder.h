#pragma once

#include "addresses.h"
#include "byte_writer.h"

#include <cstdint>
#include <span>

namespace pcapgen {

namespace tcp_flag {
inline constexpr std::uint8_t fin = 0x01;
inline constexpr std::uint8_t syn = 0x02;
inline constexpr std::uint8_t rst = 0x04;
inline constexpr std::uint8_t psh = 0x08;
inline constexpr std::uint8_t ack = 0x10;
}  // namespace tcp_flag

struct TcpHeader {
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    std::uint32_t sequence_number = 0;
    std::uint32_t acknowledgment_number = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    Bytes options;  // padded with End-of-Option-List to a multiple of 4
};

// MSS, NOP, window scale, NOP, NOP, SACK-permitted: 12 bytes, as Linux and IOS XE send on SYNs.
Bytes tcp_syn_options(std::uint16_t maximum_segment_size, std::uint8_t window_scale_shift);

// NOP, NOP and a SACK option with one block: the receiver holds the sequence numbers [left_edge, right_edge)
// beyond a hole (RFC 2018), as Linux puts it on a duplicate ACK.
Bytes tcp_sack_option(std::uint32_t left_edge, std::uint32_t right_edge);

// With the checksum over the IPv4 or IPv6 pseudo-header of source and destination.
Bytes tcp_segment(const TcpHeader& header, std::span<const std::uint8_t> payload, const IpAddress& source,
                  const IpAddress& destination);

Bytes udp_datagram(std::uint16_t source_port, std::uint16_t destination_port, std::span<const std::uint8_t> payload,
                   const IpAddress& source, const IpAddress& destination);

// The RFC 793 / RFC 8200 pseudo-header checksum shared by TCP, UDP and ICMPv6.
std::uint16_t pseudo_header_checksum(const IpAddress& source, const IpAddress& destination, std::uint8_t protocol,
                                     std::span<const std::uint8_t> upper_layer_packet);

}  // namespace pcapgen
