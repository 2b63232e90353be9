#pragma once

#include <cstdint>
#include <optional>

#include "capture/byte_reader.h"
#include "capture/ip_address.h"
#include "capture/timestamp.h"

namespace trustcap {

namespace tcp_flag {
inline constexpr std::uint8_t fin = 0x01;
inline constexpr std::uint8_t syn = 0x02;
inline constexpr std::uint8_t rst = 0x04;
inline constexpr std::uint8_t psh = 0x08;
inline constexpr std::uint8_t ack = 0x10;
inline constexpr std::uint8_t urg = 0x20;
inline constexpr std::uint8_t ece = 0x40;
inline constexpr std::uint8_t cwr = 0x80;
}  // namespace tcp_flag

enum class Transport : std::uint8_t { other, tcp, udp, icmp };

struct TcpHeader {
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::uint8_t window_scale = 0;  // from the SYN's option; 0 when absent
    bool has_window_scale = false;
};

// What an ICMP / ICMPv6 destination-unreachable (or other error) quotes:
// the header of the packet that provoked it, as that packet was sent.
struct IcmpQuote {
    IpAddress source;
    IpAddress destination;
    std::uint8_t protocol = 0;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    std::optional<std::uint32_t> tcp_seq;
};

struct IcmpMessage {
    bool v6 = false;
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::optional<IcmpQuote> quote;  // present for error messages that quote a packet

    [[nodiscard]] bool is_destination_unreachable() const { return v6 ? type == 1 : type == 3; }
};

// A frame decoded down to its transport layer. `payload` points into the
// frame's bytes (or into the IP reassembler's buffer for a reassembled
// datagram) and is valid only while the packet is being handled.
struct DecodedPacket {
    std::uint64_t frame = 0;
    Timestamp time;
    IpAddress source;
    IpAddress destination;
    std::uint8_t ip_ttl = 0;       // IPv4 TTL or IPv6 hop limit
    std::uint8_t ip_protocol = 0;  // final next-header value
    Transport transport = Transport::other;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    TcpHeader tcp;
    std::optional<IcmpMessage> icmp;
    Bytes payload;
    // The transport payload as it was on the wire (IP total length minus
    // headers); larger than payload.size() when the snap length cut the frame.
    std::uint32_t payload_wire_length = 0;
    bool cut_by_snaplen = false;
    bool reassembled_from_fragments = false;
    std::uint8_t tunnel_depth = 0;  // GRE/ERSPAN layers removed to reach this packet
    std::optional<std::uint32_t> wireshark_stream;  // TCP: Wireshark's tcp.stream, when numbered (TcpStreamNumbering)
};

}  // namespace trustcap
