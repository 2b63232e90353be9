#include "capture/ip_layer.h"

namespace trustcap {
namespace {

constexpr std::size_t ipv4_minimum_header_length = 20;
constexpr std::size_t ipv6_header_length = 40;
constexpr std::size_t ipv6_fragment_header_length = 8;
constexpr std::uint16_t ipv4_more_fragments = 0x2000;
constexpr std::uint16_t ipv4_fragment_offset_mask = 0x1FFF;
constexpr std::uint16_t ipv6_fragment_offset_mask = 0xFFF8;
constexpr std::uint16_t ipv6_more_fragments = 0x0001;
// Real packets carry two or three; a longer chain is hostile.
constexpr int max_ipv6_extension_headers = 10;

IpPacket malformed(std::string problem) {
    IpPacket packet;
    packet.status = IpPacket::Status::malformed;
    packet.problem = std::move(problem);
    return packet;
}

std::string count(std::size_t value) { return std::to_string(value); }

// Sets payload and wire length from the length the header claims for what
// follows it, given what was captured after the header.
bool set_payload(IpPacket& packet, Bytes captured_after_header, std::size_t claimed_length, IpTruncation truncation,
                 const char* layer) {
    if (claimed_length > captured_after_header.size()) {
        if (truncation == IpTruncation::not_allowed) {
            packet = malformed(std::string(layer) + ": length claims " + count(claimed_length) +
                               " payload bytes, only " + count(captured_after_header.size()) + " present");
            return false;
        }
        packet.payload = captured_after_header;
        packet.cut = true;
    } else {
        packet.payload = captured_after_header.first(claimed_length);  // drops link-layer padding
    }
    packet.payload_wire_length = static_cast<std::uint32_t>(claimed_length);
    return true;
}

bool is_ipv6_extension_header(std::uint8_t next_header) {
    switch (next_header) {
        case ip_protocol::ipv6_hop_by_hop:
        case ip_protocol::ipv6_routing:
        case ip_protocol::ipv6_fragment:
        case ip_protocol::authentication_header:
        case ip_protocol::ipv6_destination_options: return true;
        default: return false;
    }
}

void consume_header(IpPacket& packet, std::size_t length) {
    packet.payload = packet.payload.subspan(length);
    packet.payload_wire_length -= static_cast<std::uint32_t>(length);
}

}  // namespace

IpPacket decode_ipv4(Bytes bytes, IpTruncation truncation) {
    ByteReader reader(bytes);
    auto version_and_length = reader.u8();
    if (!version_and_length || bytes.size() < ipv4_minimum_header_length) {
        return malformed("IPv4: header truncated (" + count(bytes.size()) + " of 20 bytes)");
    }
    if ((*version_and_length >> 4) != 4) return malformed("IPv4: version field is " + count(*version_and_length >> 4));
    const std::size_t header_length = std::size_t{*version_and_length & 0x0Fu} * 4;
    if (header_length < ipv4_minimum_header_length) {
        return malformed("IPv4: header length " + count(header_length) + " < 20");
    }
    if (header_length > bytes.size()) {
        return malformed("IPv4: header length " + count(header_length) + " > " + count(bytes.size()) +
                         " bytes captured");
    }
    reader.skip(1);  // type of service
    const std::uint16_t total_length = *reader.u16be();
    const std::uint16_t identification = *reader.u16be();
    const std::uint16_t flags_and_offset = *reader.u16be();

    IpPacket packet;
    packet.ttl = *reader.u8();
    packet.protocol = *reader.u8();
    reader.skip(2);  // checksum
    packet.source = IpAddress::v4(*reader.take(4));
    packet.destination = IpAddress::v4(*reader.take(4));
    packet.identification = identification;
    packet.fragment_offset = static_cast<std::uint32_t>(flags_and_offset & ipv4_fragment_offset_mask) * 8;
    packet.more_fragments = (flags_and_offset & ipv4_more_fragments) != 0;
    packet.status = (packet.more_fragments || packet.fragment_offset != 0) ? IpPacket::Status::fragment
                                                                          : IpPacket::Status::whole;

    const Bytes after_header = bytes.subspan(header_length);
    // Total length 0: a segmentation-offload packet captured before the NIC
    // split it; take what was captured.
    std::size_t claimed_payload = after_header.size();
    if (total_length != 0) {
        if (total_length < header_length) {
            return malformed("IPv4: total length " + count(total_length) + " < header length " +
                             count(header_length));
        }
        claimed_payload = total_length - header_length;
    }
    set_payload(packet, after_header, claimed_payload, truncation, "IPv4");
    return packet;
}

IpPacket decode_ipv6(Bytes bytes, IpTruncation truncation) {
    ByteReader reader(bytes);
    if (bytes.size() < ipv6_header_length) {
        return malformed("IPv6: header truncated (" + count(bytes.size()) + " of 40 bytes)");
    }
    const std::uint8_t version = *reader.peek() >> 4;
    if (version != 6) return malformed("IPv6: version field is " + count(version));
    reader.skip(4);  // version, traffic class, flow label
    const std::uint16_t payload_length = *reader.u16be();
    const std::uint8_t next_header = *reader.u8();

    IpPacket packet;
    packet.ttl = *reader.u8();
    packet.source = IpAddress::v6(*reader.take(16));
    packet.destination = IpAddress::v6(*reader.take(16));

    const Bytes after_header = reader.rest();
    // Payload length 0 (and no jumbo option we could trust): a large
    // segmentation-offload packet; take what was captured.
    const std::size_t claimed = payload_length == 0 ? after_header.size() : payload_length;
    if (!set_payload(packet, after_header, claimed, truncation, "IPv6")) return packet;  // now malformed
    follow_ipv6_extension_headers(next_header, packet);
    return packet;
}

void follow_ipv6_extension_headers(std::uint8_t next_header, IpPacket& packet) {
    for (int seen = 0; seen <= max_ipv6_extension_headers; ++seen) {
        if (!is_ipv6_extension_header(next_header)) {
            packet.protocol = next_header;
            packet.status = IpPacket::Status::whole;
            return;
        }
        if (seen == max_ipv6_extension_headers) break;

        ByteReader reader(packet.payload);
        auto following = reader.u8();
        auto length_field = reader.u8();
        if (!following || !length_field) {
            packet = malformed("IPv6: extension header " + count(next_header) + " truncated");
            return;
        }
        if (next_header == ip_protocol::ipv6_fragment) {
            const std::uint16_t offset_and_flags = reader.u16be().value_or(0);
            auto identification = reader.u32be();
            if (!identification) {
                packet = malformed("IPv6: fragment header truncated");
                return;
            }
            consume_header(packet, ipv6_fragment_header_length);
            packet.fragment_offset = offset_and_flags & ipv6_fragment_offset_mask;
            packet.more_fragments = (offset_and_flags & ipv6_more_fragments) != 0;
            packet.identification = *identification;
            // RFC 6946 atomic fragment: a fragment header on an unfragmented packet.
            if (packet.fragment_offset == 0 && !packet.more_fragments) {
                next_header = *following;
                continue;
            }
            packet.protocol = *following;
            packet.status = IpPacket::Status::fragment;
            return;
        }
        const std::size_t header_length = next_header == ip_protocol::authentication_header
                                              ? (std::size_t{*length_field} + 2) * 4
                                              : (std::size_t{*length_field} + 1) * 8;
        if (header_length > packet.payload.size()) {
            packet = malformed("IPv6: extension header " + count(next_header) + " length " + count(header_length) +
                               " > " + count(packet.payload.size()) + " bytes left");
            return;
        }
        consume_header(packet, header_length);
        next_header = *following;
    }
    packet = malformed("IPv6: more than " + count(max_ipv6_extension_headers) + " extension headers");
}

}  // namespace trustcap
