#include "report/timeline.h"

#include <algorithm>
#include <map>
#include <string>

#include "capture/packet.h"
#include "dissect/tls_names.h"
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
    if (notes & packet_note::keep_alive) text += "[TCP Keep-Alive] ";
    return text;
}

std::string tcp_info(const FlowPacket& packet, const Endpoint& source, const Endpoint& destination) {
    std::string info = note_prefix(packet.notes) + std::to_string(source.port) + " \u2192 " +
                       std::to_string(destination.port) + " [" + flag_list(packet.tcp_flags) +
                       "] Seq=" + std::to_string(packet.relative_seq);
    if (packet.tcp_flags & tcp_flag::ack) info += " Ack=" + std::to_string(packet.relative_ack);
    info += " Win=" + std::to_string(packet.window) + " Len=" + std::to_string(packet.payload_length);
    if (packet.notes & packet_note::cut_by_snaplen) info += " [Packet size limited during capture]";
    if (packet.notes & packet_note::reassembled_ip) info += " [Reassembled from IP fragments]";
    return info;
}

// What the dissectors found in one frame: Wireshark's Protocol and Info.
struct FrameMessages {
    std::string protocol;
    std::vector<std::string> names;
    std::vector<std::uint8_t> handshake_types;
    std::vector<std::pair<std::uint8_t, std::uint8_t>> alerts;
    Direction direction = Direction::client_to_server;
    Timestamp time;
};

std::string message_info(const TlsMessage& message) {
    std::string name = tls_message_name(message);
    if (message.kind == TlsMessageKind::client_hello && message.client_hello &&
        !message.client_hello->server_name.empty())
        name += " (SNI=" + message.client_hello->server_name + ")";
    if (message.decrypted) name += " (decrypted)";
    return name;
}

bool is_clear_handshake(const TlsMessage& message) {
    switch (message.kind) {
        case TlsMessageKind::client_hello:
        case TlsMessageKind::sslv2_client_hello:
        case TlsMessageKind::server_hello:
        case TlsMessageKind::sslv2_server_hello:
        case TlsMessageKind::hello_retry_request:
        case TlsMessageKind::certificate:
        case TlsMessageKind::server_key_exchange:
        case TlsMessageKind::certificate_request:
        case TlsMessageKind::server_hello_done:
        case TlsMessageKind::client_key_exchange:
        case TlsMessageKind::certificate_verify:
        case TlsMessageKind::new_session_ticket:
        case TlsMessageKind::finished:
        case TlsMessageKind::other_handshake: return true;
        default: return false;
    }
}

std::map<std::uint64_t, FrameMessages> messages_by_frame(const ConnectionFacts& connection, const TlsSummary& tls) {
    std::map<std::uint64_t, FrameMessages> frames;
    std::string tls_protocol = tls.version ? tls_version_name(*tls.version) : "TLS";
    for (const TlsMessage& message : connection.tls.messages) {
        FrameMessages& entry = frames[message.frame];
        entry.protocol = tls_protocol;
        entry.direction = message.direction;
        entry.time = message.time;
        entry.names.push_back(message_info(message));
        if (is_clear_handshake(message)) entry.handshake_types.push_back(message.handshake_type);
        if (message.alert && !message.alert->encrypted)
            entry.alerts.emplace_back(message.alert->level, message.alert->description);
    }
    // HTTP names come before a frame's TLS names, in the order the messages were sent.
    std::map<std::uint64_t, std::size_t> http_names;
    const auto add_name = [&](std::uint64_t frame, Direction direction, std::string name) {
        FrameMessages& entry = frames[frame];
        entry.protocol = "HTTP";
        entry.direction = direction;
        std::size_t& before = http_names[frame];
        entry.names.insert(entry.names.begin() + static_cast<std::ptrdiff_t>(before), std::move(name));
        ++before;
    };
    const auto add_exchange = [&](const HttpExchange& exchange) {
        add_name(exchange.request_frame, Direction::client_to_server,
                 exchange.request.method + " " + exchange.request.target + " " + exchange.request.version);
        if (exchange.response)
            add_name(exchange.response_frame, Direction::server_to_client,
                     exchange.response->version + " " + std::to_string(exchange.response->status) + " " +
                         exchange.response->reason);
    };
    if (const auto& http = connection.http) add_exchange(*http);
    for (const HttpExchange& exchange : connection.later_http) add_exchange(exchange);
    return frames;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

}  // namespace

std::vector<TimelineRow> build_timeline(const TcpFlow& flow, const ConnectionFacts* connection,
                                        const TlsSummary& tls) {
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
    if (!connection) return rows;
    for (auto& [frame, found] : messages_by_frame(*connection, tls)) {
        auto row = std::find_if(rows.begin(), rows.end(), [&, wanted = frame](const TimelineRow& r) { return r.frame == wanted && !r.icmp_type; });
        if (row == rows.end()) {
            bool from_client = found.direction == Direction::client_to_server;
            TimelineRow added;
            added.frame = frame;
            added.time = found.time;
            added.source = (from_client ? flow.client : flow.server).ip;
            added.destination = (from_client ? flow.server : flow.client).ip;
            added.source_port = (from_client ? flow.client : flow.server).port;
            added.destination_port = (from_client ? flow.server : flow.client).port;
            rows.push_back(std::move(added));
            row = std::prev(rows.end());
        }
        row->protocol = found.protocol;
        row->info = joined(found.names);
        row->tls_handshake_types = found.handshake_types;
        row->tls_alerts = found.alerts;
    }
    std::sort(rows.begin(), rows.end(), [](const TimelineRow& a, const TimelineRow& b) { return a.frame < b.frame; });
    return rows;
}

}  // namespace trustcap
