#include "report/timeline.h"

#include <string>

#include "capture/packet.h"
#include "report/icmp_names.h"

namespace trustcap {
namespace {

// In Wireshark's order: FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.
std::string flag_list(std::uint8_t flags) {
    static constexpr std::pair<std::uint8_t, const char*> names[] = {
        {tcp_flag::fin, "FIN"}, {tcp_flag::syn, "SYN"}, {tcp_flag::rst, "RST"}, {tcp_flag::psh, "PSH"},
        {tcp_flag::ack, "ACK"}, {tcp_flag::urg, "URG"}, {tcp_flag::ece, "ECE"}, {tcp_flag::cwr, "CWR"}};
    std::string text;
    for (const auto& [flag, name] : names) {
        if ((flags & flag) == 0) continue;
        if (!text.empty()) text += ", ";
        text += name;
    }
    return text.empty() ? "<None>" : text;
}

std::string note_prefix(std::uint8_t notes) {
    std::string text;
    if (notes & packet_note::retransmission) text += "[TCP Retransmission] ";
    if (notes & packet_note::out_of_order) text += "[TCP Out-Of-Order] ";
    if (notes & packet_note::overlap) text += "[TCP Overlap] ";
    if (notes & packet_note::zero_window) text += "[TCP ZeroWindow] ";
    return text;
}

std::string tcp_info(const FlowPacket& packet, const Endpoint& source, const Endpoint& destination) {
    std::string info = note_prefix(packet.notes) + std::to_string(source.port) + " \u2192 " +
                       std::to_string(destination.port) + " [" + flag_list(packet.tcp_flags) +
                       "] Seq=" + std::to_string(packet.relative_seq);
    if (packet.tcp_flags & tcp_flag::ack) info += " Ack=" + std::to_string(packet.relative_ack);
    info += " Win=" + std::to_string(packet.window) + " Len=" + std::to_string(packet.payload_length);
    if (packet.notes & packet_note::cut_by_snaplen) info += " [Packet size limited during capture]";
    return info;
}

}  // namespace

std::vector<TimelineRow> build_timeline(const TcpFlow& flow) {
    std::vector<TimelineRow> rows;
    rows.reserve(flow.timeline.size());
    for (const FlowPacket& packet : flow.timeline) {
        TimelineRow row;
        row.frame = packet.frame;
        row.time = packet.time;
        if (packet.is_icmp) {
            row.source = packet.icmp_sender;
            row.destination = flow.client.ip;
            row.protocol = packet.icmp_v6 ? "ICMPv6" : "ICMP";
            row.icmp_type = packet.icmp_type;
            row.icmp_code = packet.icmp_code;
            row.info = icmp_error_text(packet.icmp_v6, packet.icmp_type, packet.icmp_code);
        } else {
            bool from_client = packet.direction == Direction::client_to_server;
            const Endpoint& source = from_client ? flow.client : flow.server;
            const Endpoint& destination = from_client ? flow.server : flow.client;
            row.source = source.ip;
            row.destination = destination.ip;
            row.source_port = source.port;
            row.destination_port = destination.port;
            row.protocol = "TCP";
            row.tcp_flags = packet.tcp_flags;
            row.info = tcp_info(packet, source, destination);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace trustcap
