#include "flow_recorder.h"

#include "transport_layer_builder.h"

#include <stdexcept>

namespace pcapgen {

HostIpProfile forging_middlebox_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 250;
    profile.first_identification = 0;
    profile.dont_fragment = false;
    return profile;
}

HostIpProfile device_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 255;
    profile.first_identification = 0x1c46;
    return profile;
}

HostIpProfile smartreceiver_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 52;
    profile.first_identification = 0x8e21;
    return profile;
}

FlowRecorder::FlowRecorder(CaptureSession& session, TcpConversation& conversation, HostIpProfile client_profile,
                           HostIpProfile server_profile)
    : session_(session),
      conversation_(conversation),
      client_profile_(std::move(client_profile)),
      server_profile_(std::move(server_profile))
{
}

Bytes FlowRecorder::tcp_bytes(const TcpSegment& segment) const
{
    const TcpEndpoint& source = conversation_.endpoint(segment.sender);
    const TcpEndpoint& destination = conversation_.endpoint(opposite(segment.sender));
    TcpHeader header;
    header.source_port = source.port;
    header.destination_port = destination.port;
    header.sequence_number = segment.sequence_number;
    header.acknowledgment_number = segment.acknowledgment_number;
    header.flags = segment.flags;
    header.window = segment.window;
    header.options = segment.options;
    return tcp_segment(header, segment.payload, source.address, destination.address);
}

Ipv4Header FlowRecorder::ipv4_header(Side sender, HostIpProfile& sender_profile)
{
    Ipv4Header header;
    header.source = conversation_.endpoint(sender).address;
    header.destination = conversation_.endpoint(opposite(sender)).address;
    header.protocol = ip_protocol_tcp;
    header.ttl = sender_profile.ttl;
    header.dont_fragment = sender_profile.dont_fragment;
    header.options = sender_profile.ipv4_options;
    header.identification = sender_profile.first_identification++;
    return header;
}

Ipv6Header FlowRecorder::ipv6_header(Side sender) const
{
    const HostIpProfile& sender_profile = profile(sender);
    Ipv6Header header;
    header.source = conversation_.endpoint(sender).address;
    header.destination = conversation_.endpoint(opposite(sender)).address;
    header.upper_layer_protocol = ip_protocol_tcp;
    header.hop_limit = sender_profile.ttl;
    header.flow_label = sender_profile.ipv6_flow_label;
    header.extension_headers = sender_profile.ipv6_extension_headers;
    return header;
}

Bytes FlowRecorder::ip_packet(const TcpSegment& segment) { return ip_packet(segment, profile(segment.sender)); }

Bytes FlowRecorder::ip_packet(const TcpSegment& segment, HostIpProfile& sender_profile)
{
    const Bytes transport = tcp_bytes(segment);
    if (conversation_.endpoint(segment.sender).address.is_ipv6()) {
        if (&sender_profile != &profile(segment.sender)) {
            throw std::logic_error("forged IPv6 packets are not supported");
        }
        return ipv6_packet(ipv6_header(segment.sender), transport);
    }
    return ipv4_packet(ipv4_header(segment.sender, sender_profile), transport);
}

void FlowRecorder::hand_over(Side side, HostIpProfile answering_host) { profile(side) = std::move(answering_host); }

void FlowRecorder::record_forged(const TcpSegment& segment, HostIpProfile& forger, std::chrono::nanoseconds gap)
{
    session_.record_ip_packet(ip_packet(segment, forger), direction_of(segment.sender), gap);
}

void FlowRecorder::record(const TcpSegment& segment, std::chrono::nanoseconds gap)
{
    session_.record_ip_packet(ip_packet(segment), direction_of(segment.sender), gap);
}

void FlowRecorder::record_uncaptured(const TcpSegment& segment, std::chrono::nanoseconds gap)
{
    static_cast<void>(ip_packet(segment));
    session_.miss_packet(gap);
}

void FlowRecorder::record_as_fragments(const TcpSegment& segment, std::size_t max_fragment_payload,
                                       std::span<const std::size_t> order, std::chrono::nanoseconds gap,
                                       std::chrono::nanoseconds gap_between)
{
    const Bytes transport = tcp_bytes(segment);
    const std::vector<Bytes> fragments =
        conversation_.endpoint(segment.sender).address.is_ipv6()
            ? ipv6_fragments(ipv6_header(segment.sender), transport, max_fragment_payload,
                             next_ipv6_fragment_identification_++)
            : ipv4_fragments(ipv4_header(segment.sender, profile(segment.sender)), transport, max_fragment_payload);
    if (order.size() != fragments.size()) {
        throw std::invalid_argument("fragment order does not name every fragment");
    }
    for (std::size_t position = 0; position < order.size(); ++position) {
        session_.record_ip_packet(fragments.at(order[position]), direction_of(segment.sender),
                                  position == 0 ? gap : gap_between);
    }
}

}  // namespace pcapgen
