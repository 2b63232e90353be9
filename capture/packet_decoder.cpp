#include "capture/packet_decoder.h"

#include "capture/ip_layer.h"
#include "capture/transport_layer.h"
#include "capture/tunnel_decoder.h"

namespace trustcap {
namespace {

void set_malformed(DecodeResult& result, std::string reason) {
    result.status = DecodeStatus::malformed;
    result.reason = std::move(reason);
}

}  // namespace

PacketDecoder::PacketDecoder(IpFragmentReassembler::Limits fragment_limits) : fragments_(fragment_limits) {}

DecodeResult PacketDecoder::decode(const RawFrame& frame) {
    DecodeResult result;
    result.packet.frame = frame.number;
    result.packet.time = frame.time;
    const std::optional<LinkType> link_type = supported_link_type(frame.link_type);
    if (!link_type) {
        set_malformed(result, "link type " + link_type_name(frame.link_type) + ", which trustcap does not decode");
        return result;
    }
    decode_network(decode_link_layer(*link_type, frame.data), frame.cut_by_snaplen(), 0, result);
    return result;
}

void PacketDecoder::decode_network(const NetworkPayload& network, bool frame_cut, std::uint8_t tunnel_depth,
                                   DecodeResult& result) {
    switch (network.kind) {
        case NetworkPayload::Kind::not_ip: result.status = DecodeStatus::not_ip; return;
        case NetworkPayload::Kind::malformed: set_malformed(result, network.problem); return;
        case NetworkPayload::Kind::ipv4:
        case NetworkPayload::Kind::ipv6: break;
    }
    const bool v6 = network.kind == NetworkPayload::Kind::ipv6;
    const IpTruncation truncation = frame_cut ? IpTruncation::allowed : IpTruncation::not_allowed;
    IpPacket ip = v6 ? decode_ipv6(network.bytes, truncation) : decode_ipv4(network.bytes, truncation);
    if (ip.status == IpPacket::Status::malformed) return set_malformed(result, std::move(ip.problem));

    DecodedPacket& packet = result.packet;
    if (ip.status == IpPacket::Status::fragment) {
        if (ip.cut) {
            return set_malformed(result, std::string(v6 ? "IPv6" : "IPv4") +
                                             ": fragment cut by the snap length cannot be reassembled");
        }
        const IpFragmentReassembler::Fragment fragment{ip.source,          ip.destination, ip.identification,
                                                       ip.protocol,        ip.fragment_offset,
                                                       ip.more_fragments, ip.payload,     packet.time,
                                                       packet.frame};
        const std::optional<Bytes> datagram = fragments_.add(fragment);
        if (!datagram) {
            result.status = DecodeStatus::fragment_pending;
            packet.source = ip.source;
            packet.destination = ip.destination;
            packet.ip_protocol = ip.protocol;
            return;
        }
        packet.reassembled_from_fragments = true;
        ip.payload = *datagram;
        ip.payload_wire_length = static_cast<std::uint32_t>(datagram->size());
        ip.status = IpPacket::Status::whole;
        if (v6) {
            follow_ipv6_extension_headers(ip.protocol, ip);
            if (ip.status == IpPacket::Status::malformed) return set_malformed(result, std::move(ip.problem));
            if (ip.status == IpPacket::Status::fragment) {
                return set_malformed(result, "IPv6: fragment header inside a reassembled datagram");
            }
        }
    }

    packet.source = ip.source;
    packet.destination = ip.destination;
    packet.ip_ttl = ip.ttl;
    packet.ip_protocol = ip.protocol;
    packet.cut_by_snaplen = ip.cut;
    packet.tunnel_depth = tunnel_depth;

    if (ip.protocol == ip_protocol_gre) {
        if (tunnel_depth >= max_tunnel_depth) {
            return set_malformed(result, "GRE: tunnels nested more than " + std::to_string(max_tunnel_depth) +
                                             " deep");
        }
        return decode_network(decode_gre(ip.payload), frame_cut, static_cast<std::uint8_t>(tunnel_depth + 1),
                              result);
    }

    if (auto problem = decode_transport(ip.protocol, ip.payload, ip.payload_wire_length, packet)) {
        return set_malformed(result, std::move(*problem));
    }
    result.status = DecodeStatus::decoded;
}

}  // namespace trustcap
