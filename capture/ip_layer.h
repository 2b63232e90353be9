#pragma once

#include <cstdint>
#include <string>

#include "capture/byte_reader.h"
#include "capture/ip_address.h"

namespace trustcap {

namespace ip_protocol {
inline constexpr std::uint8_t icmp = 1;
inline constexpr std::uint8_t tcp = 6;
inline constexpr std::uint8_t udp = 17;
inline constexpr std::uint8_t ipv6_hop_by_hop = 0;
inline constexpr std::uint8_t ipv6_routing = 43;
inline constexpr std::uint8_t ipv6_fragment = 44;
inline constexpr std::uint8_t esp = 50;
inline constexpr std::uint8_t authentication_header = 51;
inline constexpr std::uint8_t icmpv6 = 58;
inline constexpr std::uint8_t ipv6_no_next_header = 59;
inline constexpr std::uint8_t ipv6_destination_options = 60;
}  // namespace ip_protocol

// Whether the bytes may end before the IP header's length says: true for a
// frame cut by the snap length and for the packet an ICMP error quotes.
enum class IpTruncation : std::uint8_t { not_allowed, allowed };

// One IPv4 or IPv6 header (with options / extension headers) removed.
struct IpPacket {
    enum class Status : std::uint8_t { whole, fragment, malformed };

    Status status = Status::malformed;
    std::string problem;  // for malformed: names the layer and what is wrong
    IpAddress source;
    IpAddress destination;
    std::uint8_t ttl = 0;       // IPv4 TTL or IPv6 hop limit
    std::uint8_t protocol = 0;  // upper-layer protocol; for a fragment, that of the fragmented part
    Bytes payload;              // the captured bytes after all IP headers
    std::uint32_t payload_wire_length = 0;
    bool cut = false;  // payload.size() < payload_wire_length

    // Set for fragments; the identification is 16 bits in IPv4, 32 in IPv6.
    std::uint32_t identification = 0;
    std::uint32_t fragment_offset = 0;  // in bytes
    bool more_fragments = false;
};

IpPacket decode_ipv4(Bytes packet, IpTruncation truncation);
IpPacket decode_ipv6(Bytes packet, IpTruncation truncation);

// Follows IPv6 extension headers, starting with the header `next_header`
// names, through `packet.payload`. On return `payload`, `payload_wire_length`,
// `protocol` and `status` describe the upper layer (or the fragment header's
// fragmentable part). Also used on a reassembled datagram, whose fragmentable
// part may begin with more extension headers.
void follow_ipv6_extension_headers(std::uint8_t next_header, IpPacket& packet);

}  // namespace trustcap
