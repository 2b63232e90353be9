#include "report/tcp_checks.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "report/icmp_names.h"
#include "report/wording.h"

namespace trustcap {
namespace {

const char* side_name(Direction direction) { return direction == Direction::client_to_server ? "device" : "server"; }

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
}

Finding finding(std::string id, Severity severity, const TcpFlow& flow, std::string summary,
                std::string explanation, std::vector<std::uint64_t> frames, std::vector<std::string> fix = {}) {
    return Finding{std::move(id), severity,          flow.id,         std::move(summary), std::move(explanation),
                   std::move(frames), std::move(fix)};
}

std::string server_text(const TcpFlow& flow) { return flow.server.to_string(); }

// Packets from the device other than its SYNs and resets: it went on as if it had the SYN-ACK.
bool client_went_on_without_synack(const TcpFlow& flow) {
    const FlowDirection& client = flow.side(Direction::client_to_server);
    return client.packets > client.syn_frames.size() + client.rst_packets;
}

bool is_one_sided(const TcpFlow& flow) {
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    if (client.packets == 0) return server.packets > 0;
    if (server.packets == 0) return client_went_on_without_synack(flow) && flow.icmp_errors.empty();
    return false;
}

void assess_handshake(const TcpFlow& flow, TcpAssessment& result) {
    StepResult& step = result.handshake;
    step.name = StepName::tcp;
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);

    if (client.syn_frames.empty()) {
        step.status = StepStatus::not_seen;
        step.detail = server.syn_frames.empty() ? "the capture starts after the handshake (no SYN seen)"
                                                : "the capture starts after the device's SYN (SYN-ACK seen)";
        return;
    }
    std::uint64_t first_syn = client.syn_frames.front();
    if (!server.syn_frames.empty()) {
        std::uint64_t synack = server.syn_frames.front();
        if (flow.handshake_ack_frame) {
            step.status = StepStatus::pass;
            step.frames = {first_syn, synack, *flow.handshake_ack_frame};
            step.detail = "SYN, SYN-ACK, ACK";
        } else if (!client.rst_frames.empty()) {
            step.status = StepStatus::fail;
            step.frames = {first_syn, synack, client.rst_frames.front()};
            step.detail = "the device answered the SYN-ACK with a reset";
        } else {
            step.status = StepStatus::unknown;
            step.frames = {first_syn, synack};
            step.detail = "SYN-ACK seen, but the device's ACK was not captured";
        }
        return;
    }
    if (!server.rst_frames.empty()) {
        std::uint64_t rst = server.rst_frames.front();
        step.status = StepStatus::fail;
        step.frames = {first_syn, rst};
        step.detail = "the server answered the SYN with a reset (connection refused)";
        result.findings.push_back(finding(
            "tcp.rst_to_syn", Severity::error, flow,
            "Connection to " + server_text(flow) + " refused: the SYN was answered with a reset (frame " +
                std::to_string(rst) + ")",
            "Nothing accepts connections on this address and port, or a firewall answers for it with a reset. "
            "The device cannot reach the licensing server's HTTPS service.",
            {first_syn, rst},
            {"Check that the address the device resolves for the licensing server is right: show ip host, "
             "show running-config | include ip name-server",
             "Check firewalls in the path for a reject rule on TCP port " + std::to_string(flow.server.port)}));
        return;
    }
    if (!flow.icmp_errors.empty()) {
        const IcmpError& error = flow.icmp_errors.front();
        std::vector<std::uint64_t> icmp_frames;
        for (const IcmpError& each : flow.icmp_errors) icmp_frames.push_back(each.frame);
        step.status = StepStatus::fail;
        step.frames = {first_syn, error.frame};
        std::string what = icmp_error_text(error.v6, error.type, error.code);
        step.detail = "ICMP " + what + " from " + error.sender.to_string();
        bool filtered = icmp_is_administrative(error.v6, error.type, error.code);
        result.findings.push_back(finding(
            "tcp.icmp_unreachable", Severity::error, flow,
            "The SYN to " + server_text(flow) + " was answered by " + error.sender.to_string() + " with ICMP " +
                what + " (frame " + std::to_string(error.frame) + ")",
            filtered ? "A router or firewall at " + error.sender.to_string() +
                           " filters this connection and says so (ICMP type " + std::to_string(error.type) +
                           ", code " + std::to_string(error.code) + ")."
                     : "The network could not deliver the SYN: " + error.sender.to_string() + " reported ICMP type " +
                           std::to_string(error.type) + ", code " + std::to_string(error.code) + ".",
            icmp_frames,
            filtered ? std::vector<std::string>{"Permit TCP " + std::to_string(flow.server.port) + " from the device to " +
                                                    flow.server.ip.to_string() + " on the filter at " +
                                                    error.sender.to_string()}
                     : std::vector<std::string>{"Check the route to " + flow.server.ip.to_string() +
                                                " from the device: show ip route " + flow.server.ip.to_string()}));
        return;
    }
    if (!client.rst_frames.empty()) {
        std::uint64_t rst = client.rst_frames.front();
        step.status = StepStatus::fail;
        step.frames = {first_syn, rst};
        step.detail = "the device abandoned its attempt with a reset before any answer";
        result.findings.push_back(finding(
            "tcp.reset", Severity::error, flow,
            "The device reset its own connection attempt to " + server_text(flow) + " at frame " +
                std::to_string(rst) + ", before any answer",
            "The device gave up waiting for the SYN-ACK and aborted the attempt. Nothing from the server was "
            "captured: the SYN was probably dropped on the way, or the answer did not come back this way.",
            {rst},
            {"Check the path from the device: ping " + flow.server.ip.to_string() + " source <interface>",
             "Check firewalls in the path for a rule dropping TCP " + std::to_string(flow.server.port)}));
        return;
    }
    if (client_went_on_without_synack(flow)) {
        step.status = StepStatus::unknown;
        step.frames = {first_syn};
        step.detail = "the device went on as if it had the SYN-ACK, but the capture does not hold it";
        return;
    }
    std::uint64_t attempts = client.syn_frames.size();
    step.status = StepStatus::fail;
    step.frames = client.syn_frames;
    double waited = flow.last_time.seconds_since(flow.first_time);
    step.detail = "no SYN-ACK to " + counted(attempts, "SYN") + " over " + seconds_text(waited);
    result.findings.push_back(finding(
        "tcp.no_synack", Severity::error, flow,
        "No answer from " + server_text(flow) + ": " + counted(attempts, "SYN") + " (" +
            counted(attempts - 1, "retransmission") + ") and no SYN-ACK",
        "The device's connection attempts got no answer at all: something in the path drops them silently "
        "(a firewall DROP rule, a missing route or NAT), or the server is down. The device logs "
        "\"Connection timed out\".",
        client.syn_frames,
        {"Check the path from the device: ping " + flow.server.ip.to_string() + " source <interface>",
         "Check firewalls in the path for a rule dropping TCP " + std::to_string(flow.server.port) + " to " +
             flow.server.ip.to_string(),
         "ip http client source-interface <interface> (use the interface that has the route out)"}));
}

std::string reset_context(const TcpFlow& flow, Direction sender, std::uint64_t rst_frame) {
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    const FlowDirection& own = flow.side(sender);
    const FlowDirection& peer = flow.side(opposite(sender));
    if (peer.fin_frame && *peer.fin_frame < rst_frame) return "after the " + std::string(side_name(opposite(sender))) + "'s FIN";
    if (own.fin_frame && *own.fin_frame < rst_frame) return "after its own FIN";
    if (!client.first_data_frame && !server.first_data_frame) return "after the handshake, before any data";
    return "after " + counted(client.payload_bytes, "byte") + " from the device and " +
           counted(server.payload_bytes, "byte") + " from the server";
}

std::optional<std::uint8_t> ttl_of(const TcpFlow& flow, std::uint64_t frame) {
    for (const FlowPacket& packet : flow.timeline)
        if (packet.frame == frame && !packet.is_icmp) return packet.ttl;
    return std::nullopt;
}

// A reset whose IP TTL (hop limit) differs from that side's other packets
// was not sent by the same host: a firewall or IPS in the path forged it.
void check_reset_origin(const TcpFlow& flow, Direction sender, std::uint64_t rst_frame, TcpAssessment& result) {
    const FlowDirection& side = flow.side(sender);
    std::optional<std::uint8_t> rst_ttl = ttl_of(flow, rst_frame);
    if (!rst_ttl || !side.first_ttl || side.first_frame == rst_frame || *rst_ttl == *side.first_ttl) return;
    std::string who = side_name(sender);
    result.findings.push_back(finding(
        "tcp.reset_injected", Severity::error, flow,
        "The reset at frame " + std::to_string(rst_frame) + " was sent by a middlebox such as a firewall or IPS, not by "
            "the " + who,
        "Its IP TTL is " + std::to_string(*rst_ttl) + " while the " + who + "'s other packets arrive with " +
            std::to_string(*side.first_ttl) + ": another box between the device and the server forged it.",
        {rst_frame},
        {"Find the firewall or IPS that resets the connection and allow the device to reach " +
             flow.server.to_string(),
         "Exempt smartreceiver.cisco.com from SSL decryption and IPS signatures on it"}));
}

void assess_teardown(const TcpFlow& flow, TcpAssessment& result) {
    StepResult& step = result.teardown;
    step.name = StepName::teardown;
    if (result.handshake.status == StepStatus::fail) {
        step.status = StepStatus::not_applicable;
        step.detail = "no connection was established";
        return;
    }
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);

    std::optional<std::uint64_t> first_rst;
    Direction rst_sender = Direction::client_to_server;
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client}) {
        const auto& frames = flow.side(direction).rst_frames;
        if (!frames.empty() && (!first_rst || frames.front() < *first_rst)) {
            first_rst = frames.front();
            rst_sender = direction;
        }
    }
    bool both_fins = client.fin_frame && server.fin_frame;
    bool graceful_before_rst = both_fins && (!first_rst || std::max(*client.fin_frame, *server.fin_frame) < *first_rst);

    if (first_rst && !graceful_before_rst) {
        std::string who = side_name(rst_sender);
        std::string context = reset_context(flow, rst_sender, *first_rst);
        std::size_t findings_before = result.findings.size();
        check_reset_origin(flow, rst_sender, *first_rst, result);
        bool forged = result.findings.size() > findings_before;
        std::string sender = forged ? "a middlebox, in the " + who + "'s name," : "the " + who;
        step.status = StepStatus::fail;
        step.frames = {*first_rst};
        step.detail = "reset by " + sender + " at frame " + std::to_string(*first_rst) + " " + context;
        std::string summary = sender + " reset the connection at frame " + std::to_string(*first_rst) + ", " + context;
        summary[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(summary[0])));
        result.findings.insert(
            result.findings.begin() + static_cast<std::ptrdiff_t>(findings_before),
            finding("tcp.reset", Severity::error, flow, summary,
                    rst_sender == Direction::server_to_client
                        ? "The server side aborted the connection instead of closing it. A reset sent by a firewall "
                          "or IPS in the path looks the same from the device."
                        : "The device aborted the connection instead of closing it: its HTTPS client gave up, "
                          "usually because of what it received just before.",
                    {*first_rst}));
        return;
    }
    if (both_fins) {
        bool client_first = *client.fin_frame < *server.fin_frame;
        const FlowDirection& second = client_first ? server : client;
        std::uint64_t first_fin = std::min(*client.fin_frame, *server.fin_frame);
        std::uint64_t second_fin = std::max(*client.fin_frame, *server.fin_frame);
        if (second.fin_acked_frame) {
            step.status = StepStatus::pass;
            step.frames = {first_fin, second_fin, *second.fin_acked_frame};
            step.detail = std::string("FIN from the ") + (client_first ? "device" : "server") + ", FIN-ACK, ACK";
            if (first_rst) step.detail += "; then a reset at frame " + std::to_string(*first_rst);
            return;
        }
        step.status = StepStatus::unknown;
        step.frames = {first_fin, second_fin};
        step.detail = "both FINs seen; the last ACK was not captured";
    } else {
        step.status = StepStatus::not_seen;
        std::optional<std::uint64_t> fin = client.fin_frame ? client.fin_frame : server.fin_frame;
        if (fin) {
            step.frames = {*fin};
            step.detail = std::string("half closed: only the ") + (client.fin_frame ? "device" : "server") +
                          " sent a FIN";
        } else {
            step.detail = flow.ended_by_idle_timeout ? "no FIN or reset; the flow went idle" : "no FIN or reset";
        }
    }
    result.findings.push_back(finding(
        "capture.ended_mid_flow", Severity::warning, flow,
        "The capture ends before the connection to " + server_text(flow) + " was fully closed",
        "The last packet of this connection is frame " + std::to_string(flow.last_frame) +
            "; whatever happened next is not in the capture. Stop the capture only after the device "
            "reports the result (show license status).",
        {flow.last_frame}, {"monitor capture <name> stop — after the device logged the outcome"}));
}

void assess_capture_quality(const TcpFlow& flow, TcpAssessment& result) {
    std::vector<std::uint64_t> cut_frames;
    std::uint64_t cut_packets = 0;
    std::vector<std::uint64_t> missing_frames;
    for (const FlowDirection& side : flow.directions) {
        cut_packets += side.cut_packets;
        cut_frames.insert(cut_frames.end(), side.cut_frames.begin(), side.cut_frames.end());
        missing_frames.insert(missing_frames.end(), side.missing_data_frames.begin(), side.missing_data_frames.end());
    }
    std::sort(cut_frames.begin(), cut_frames.end());
    std::sort(missing_frames.begin(), missing_frames.end());
    if (cut_packets > 0) {
        result.findings.push_back(finding(
            "capture.truncated_packets", Severity::warning, flow,
            counted(cut_packets, "packet") + " of this connection were cut short by the capture's packet length limit",
            "The capture kept only the start of these packets, so certificates and records in them cannot be read.",
            cut_frames, {"monitor capture <name> limit packet-len 9500 (or capture without a snap length: tcpdump -s 0)"}));
    }
    if (!missing_frames.empty()) {
        result.findings.push_back(finding(
            "capture.missing_segments", Severity::warning, flow,
            "Bytes of this connection were acknowledged but never captured",
            "The receiver acknowledged data that is not in the capture (dropped by the capture, not by the "
            "network). What those bytes carried cannot be checked.",
            missing_frames, {"Capture closer to the device, or with a larger buffer: monitor capture <name> buffer size 100"}));
    }
    if (result.one_sided) {
        bool client_missing = flow.side(Direction::client_to_server).packets == 0;
        result.findings.push_back(finding(
            "capture.one_sided", Severity::warning, flow,
            std::string("Only the ") + (client_missing ? "server's" : "device's") +
                " packets of this connection were captured",
            "The other direction is missing, so the steps it would show cannot be checked.",
            {flow.first_frame}, {"monitor capture <name> interface <interface> both"}));
    }
}

}  // namespace

TcpAssessment assess_tcp(const TcpFlow& flow) {
    TcpAssessment result;
    result.one_sided = is_one_sided(flow);
    assess_handshake(flow, result);
    assess_teardown(flow, result);
    if (result.one_sided && result.teardown.status != StepStatus::fail) {
        // The other side's FIN may well be there on the wire: nothing can be said of the close.
        result.teardown.status = StepStatus::unknown;
        result.teardown.frames.clear();
        result.teardown.detail = "only one direction was captured";
        std::erase_if(result.findings, [](const Finding& f) { return f.id == "capture.ended_mid_flow"; });
    }
    assess_capture_quality(flow, result);
    return result;
}

}  // namespace trustcap
