#include "capture/transport_layer.h"

#include <algorithm>

#include "capture/ip_layer.h"

namespace trustcap {
namespace {

constexpr std::size_t tcp_minimum_header_length = 20;
constexpr std::size_t udp_header_length = 8;
constexpr std::size_t icmp_header_length = 8;

namespace tcp_option {
constexpr std::uint8_t end_of_list = 0;
constexpr std::uint8_t no_operation = 1;
constexpr std::uint8_t window_scale = 3;
constexpr std::uint8_t window_scale_length = 3;
constexpr std::uint8_t max_window_shift = 14;  // RFC 7323 2.3: larger values mean 14
}  // namespace tcp_option

std::string count(std::size_t value) { return std::to_string(value); }

void parse_window_scale(Bytes options, TcpHeader& tcp) {
    ByteReader reader(options);
    while (auto kind = reader.u8()) {
        if (*kind == tcp_option::end_of_list) return;
        if (*kind == tcp_option::no_operation) continue;
        auto length = reader.u8();
        if (!length || *length < 2) return;
        auto body = reader.take(*length - 2u);
        if (!body) return;
        if (*kind == tcp_option::window_scale && *length == tcp_option::window_scale_length) {
            tcp.window_scale = std::min((*body)[0], tcp_option::max_window_shift);
            tcp.has_window_scale = true;
        }
    }
}

std::optional<std::string> decode_tcp(Bytes bytes, std::uint32_t wire_length, DecodedPacket& packet) {
    ByteReader reader(bytes);
    if (bytes.size() < tcp_minimum_header_length) {
        return "TCP: header truncated (" + count(bytes.size()) + " of 20 bytes)";
    }
    packet.source_port = *reader.u16be();
    packet.destination_port = *reader.u16be();
    packet.tcp.seq = *reader.u32be();
    packet.tcp.ack = *reader.u32be();
    const std::size_t header_length = static_cast<std::size_t>(*reader.u8() >> 4) * 4;
    packet.tcp.flags = *reader.u8();
    packet.tcp.window = *reader.u16be();
    if (header_length < tcp_minimum_header_length) return "TCP: data offset " + count(header_length) + " < 20";
    if (header_length > wire_length) {
        return "TCP: header length " + count(header_length) + " > " + count(wire_length) + " bytes in the packet";
    }
    // The snap length may cut the options: the fixed header still says what
    // the segment is, and only the cut options are unknown.
    const std::size_t captured_header_length = std::min(header_length, bytes.size());
    if (packet.tcp.flags & tcp_flag::syn) {
        parse_window_scale(bytes.subspan(tcp_minimum_header_length, captured_header_length - tcp_minimum_header_length),
                           packet.tcp);
    }
    packet.transport = Transport::tcp;
    packet.payload = bytes.subspan(captured_header_length);
    packet.payload_wire_length = wire_length - static_cast<std::uint32_t>(header_length);
    return std::nullopt;
}

std::optional<std::string> decode_udp(Bytes bytes, std::uint32_t wire_length, DecodedPacket& packet) {
    ByteReader reader(bytes);
    if (bytes.size() < udp_header_length) return "UDP: header truncated (" + count(bytes.size()) + " of 8 bytes)";
    packet.source_port = *reader.u16be();
    packet.destination_port = *reader.u16be();
    const std::uint16_t udp_length = *reader.u16be();
    packet.transport = Transport::udp;
    packet.payload = bytes.subspan(udp_header_length);
    packet.payload_wire_length = wire_length - static_cast<std::uint32_t>(udp_header_length);
    // A UDP length shorter than the IP payload trims it; 0 (jumbogram) or a
    // longer one is ignored in favour of the IP length.
    if (udp_length >= udp_header_length && udp_length < wire_length) {
        const std::size_t udp_payload_length = udp_length - udp_header_length;
        packet.payload = packet.payload.first(std::min(packet.payload.size(), udp_payload_length));
        packet.payload_wire_length = static_cast<std::uint32_t>(udp_payload_length);
    }
    return std::nullopt;
}

bool is_icmp_error(bool v6, std::uint8_t type) {
    if (v6) return type >= 1 && type <= 4;
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

// The quoted packet was cut after its first transport bytes, so its IP
// lengths always claim more than is there.
std::optional<IcmpQuote> parse_quote(bool v6, Bytes quoted) {
    IpPacket ip = v6 ? decode_ipv6(quoted, IpTruncation::allowed) : decode_ipv4(quoted, IpTruncation::allowed);
    if (ip.status == IpPacket::Status::malformed) return std::nullopt;
    if (v6 && ip.status == IpPacket::Status::fragment && ip.fragment_offset == 0) {
        follow_ipv6_extension_headers(ip.protocol, ip);
        if (ip.status == IpPacket::Status::malformed) return std::nullopt;
    }
    IcmpQuote quote;
    quote.source = ip.source;
    quote.destination = ip.destination;
    quote.protocol = ip.protocol;
    const bool has_transport_header = ip.fragment_offset == 0;
    if (has_transport_header && (ip.protocol == ip_protocol::tcp || ip.protocol == ip_protocol::udp)) {
        ByteReader reader(ip.payload);
        auto source_port = reader.u16be();
        auto destination_port = reader.u16be();
        if (source_port && destination_port) {
            quote.source_port = *source_port;
            quote.destination_port = *destination_port;
            if (ip.protocol == ip_protocol::tcp) quote.tcp_seq = reader.u32be();
        }
    }
    return quote;
}

std::optional<std::string> decode_icmp(bool v6, Bytes bytes, std::uint32_t wire_length, DecodedPacket& packet) {
    const char* layer = v6 ? "ICMPv6" : "ICMP";
    ByteReader reader(bytes);
    if (bytes.size() < icmp_header_length) {
        return std::string(layer) + ": header truncated (" + count(bytes.size()) + " of 8 bytes)";
    }
    IcmpMessage message;
    message.v6 = v6;
    message.type = *reader.u8();
    message.code = *reader.u8();
    reader.skip(icmp_header_length - 2);  // checksum and the type-specific word
    if (is_icmp_error(v6, message.type)) message.quote = parse_quote(v6, reader.rest());
    packet.transport = Transport::icmp;
    packet.icmp = message;
    packet.payload = reader.rest();
    packet.payload_wire_length = wire_length - static_cast<std::uint32_t>(icmp_header_length);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> decode_transport(std::uint8_t protocol, Bytes ip_payload, std::uint32_t payload_wire_length,
                                            DecodedPacket& packet) {
    payload_wire_length = std::max(payload_wire_length, static_cast<std::uint32_t>(ip_payload.size()));
    switch (protocol) {
        case ip_protocol::tcp: return decode_tcp(ip_payload, payload_wire_length, packet);
        case ip_protocol::udp: return decode_udp(ip_payload, payload_wire_length, packet);
        case ip_protocol::icmp: return decode_icmp(false, ip_payload, payload_wire_length, packet);
        case ip_protocol::icmpv6: return decode_icmp(true, ip_payload, payload_wire_length, packet);
        default:
            packet.transport = Transport::other;
            packet.payload = ip_payload;
            packet.payload_wire_length = payload_wire_length;
            return std::nullopt;
    }
}

}  // namespace trustcap
