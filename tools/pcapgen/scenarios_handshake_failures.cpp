#include "scenarios.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "lab_network.h"
#include "link_encapsulation.h"
#include "network_layer_builder.h"
#include "standard_exchanges.h"

#include <chrono>

namespace pcapgen {

using namespace std::chrono_literals;

void write_syn_unanswered(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    const TcpSegment syn = conversation.syn();
    recorder.record(syn, 0ns);
    recorder.record(syn, 1'000'843'112ns);
    recorder.record(syn, 2'001'407'530ns);
}

void write_syn_answered_by_rst(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    recorder.record(conversation.syn(), 0ns);
    recorder.record(conversation.rst_answering_syn(), gap::round_trip);
}

void write_syn_icmp_admin_prohibited(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    const Bytes syn_packet = recorder.ip_packet(conversation.syn());
    session.record_ip_packet(syn_packet, Direction::from_device, 0ns);

    Ipv4Header icmp_header;
    icmp_header.source = lab::router_ipv4;
    icmp_header.destination = lab::device_ipv4;
    icmp_header.protocol = ip_protocol_icmp;
    icmp_header.ttl = 255;
    icmp_header.dont_fragment = false;
    icmp_header.identification = 0x03d1;
    const Bytes icmp_packet = ipv4_packet(
        icmp_header, icmpv4_destination_unreachable(icmp_code_communication_administratively_prohibited, syn_packet));
    session.record_ip_packet(icmp_packet, Direction::to_device, 912'406ns);
}

void write_syn_icmpv6_admin_prohibited(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    LicensingConnectionParameters parameters;
    parameters.over_ipv6 = true;
    TcpConversation conversation = licensing_conversation(parameters);
    FlowRecorder recorder(session, conversation);
    const Bytes syn_packet = recorder.ip_packet(conversation.syn());
    session.record_ip_packet(syn_packet, Direction::from_device, 0ns);

    Ipv6Header icmp_header;
    icmp_header.source = lab::router_ipv6;
    icmp_header.destination = lab::device_ipv6;
    icmp_header.upper_layer_protocol = ip_protocol_icmpv6;
    icmp_header.hop_limit = 64;
    const Bytes icmp_packet =
        ipv6_packet(icmp_header, icmpv6_destination_unreachable(icmpv6_code_administratively_prohibited,
                                                                icmp_header.source, icmp_header.destination,
                                                                syn_packet));
    session.record_ip_packet(icmp_packet, Direction::to_device, 874'215ns);
}

}  // namespace pcapgen
