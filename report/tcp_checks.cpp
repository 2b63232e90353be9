#include "report/tcp_checks.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "report/answer_wait.h"
#include "report/icmp_names.h"
#include "report/ios_xe_fixes.h"
#include "report/tcp_resets.h"
#include "report/wording.h"

namespace trustcap {
namespace {

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
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
    // One packet of the device's proves nothing of the other direction.
    if (server.packets == 0)
        return client.packets > 1 && client_went_on_without_synack(flow) && flow.icmp_errors.empty();
    return false;
}

// What the handshake's packets show, before any text is written: the judge
// of which flows are attempts asks only this, for every flow a flood lets go.
enum class HandshakeCase {
    no_syn,                  // the capture starts after the device's SYN
    completed,               // SYN, SYN-ACK, ACK
    synack_reset_by_device,  // the device answered the SYN-ACK with a reset
    synack_unacknowledged,   // SYN-ACK seen, the device's ACK not captured
    refused,                 // the server answered the SYN with a reset
    icmp_error,              // an ICMP error answered the SYN
    abandoned_by_device,     // the device reset its attempt before any answer
    went_on_without_synack,  // the device went on; the SYN-ACK was not captured
    ended_too_soon,          // the capture ended before the SYN could be retransmitted
    no_synack,               // no answer to the SYNs
};

HandshakeCase handshake_case(const TcpFlow& flow) {
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    if (client.syn_frames.empty()) return HandshakeCase::no_syn;
    if (!server.syn_frames.empty()) {
        if (flow.handshake_ack_frame) return HandshakeCase::completed;
        if (client.closing_reset()) return HandshakeCase::synack_reset_by_device;
        return HandshakeCase::synack_unacknowledged;
    }
    if (server.closing_reset()) return HandshakeCase::refused;
    if (!flow.icmp_errors.empty()) return HandshakeCase::icmp_error;
    if (client.closing_reset()) return HandshakeCase::abandoned_by_device;
    if (client_went_on_without_synack(flow)) return HandshakeCase::went_on_without_synack;
    bool device_gave_up = client.fin_frame.has_value();
    if (client.syn_frames.size() == 1 && !device_gave_up &&
        elapsed_seconds(flow.first_time, flow.watched_until) < answer_wait_seconds)
        return HandshakeCase::ended_too_soon;
    return HandshakeCase::no_synack;
}

StepStatus status_of(HandshakeCase handshake) {
    switch (handshake) {
        case HandshakeCase::no_syn: return StepStatus::not_seen;
        case HandshakeCase::completed: return StepStatus::pass;
        case HandshakeCase::synack_unacknowledged:
        case HandshakeCase::went_on_without_synack:
        case HandshakeCase::ended_too_soon: return StepStatus::unknown;
        case HandshakeCase::synack_reset_by_device:
        case HandshakeCase::refused:
        case HandshakeCase::icmp_error:
        case HandshakeCase::abandoned_by_device:
        case HandshakeCase::no_synack: break;
    }
    return StepStatus::fail;
}

// With one direction missing, only a failure can be told: any other status is unknown.
bool one_side_hides(StepStatus status, bool one_sided) { return one_sided && status != StepStatus::fail; }

void assess_handshake(const TcpFlow& flow, TcpAssessment& result) {
    StepResult& step = result.handshake;
    step.name = StepName::tcp;
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    const HandshakeCase handshake = handshake_case(flow);
    step.status = status_of(handshake);

    if (handshake == HandshakeCase::no_syn) {
        step.detail = server.syn_frames.empty() ? "the capture starts after the handshake (no SYN seen)"
                                                : "the capture starts after the device's SYN (SYN-ACK seen)";
        return;
    }
    std::uint64_t first_syn = client.syn_frames.front();
    if (!server.syn_frames.empty()) {
        std::uint64_t synack = server.syn_frames.front();
        if (handshake == HandshakeCase::completed) {
            step.frames = {first_syn, synack, *flow.handshake_ack_frame};
            step.detail = "SYN, SYN-ACK, ACK";
        } else if (handshake == HandshakeCase::synack_reset_by_device) {
            const TcpReset* reset = client.closing_reset();
            step.frames = {first_syn, synack, reset->frame};
            step.detail = "the device answered the SYN-ACK with a reset";
            result.findings.push_back(Finding(
                FindingKind::tcp_reset, flow.id,
                "The device answered the SYN-ACK from " + server_text(flow) + " with a reset (frame " +
                    std::to_string(reset->frame) + ")",
                "The device's TCP stack refused the server's answer: it no longer had the connection (it gave up "
                "before the SYN-ACK came) or the SYN-ACK did not match its SYN.",
                {reset->frame}, {"show tcp brief all"}));
            if (auto forged = forged_reset_finding(flow, {reset, Direction::client_to_server}, Severity::error))
                result.findings.push_back(*forged);
        } else {
            step.frames = {first_syn, synack};
            step.detail = "SYN-ACK seen, but the device's ACK was not captured";
        }
        return;
    }
    if (handshake == HandshakeCase::refused) {
        const TcpReset* reset = server.closing_reset();
        std::uint64_t rst = reset->frame;
        step.frames = {first_syn, rst};
        step.detail = "the server answered the SYN with a reset (connection refused)";
        result.findings.push_back(
            Finding(FindingKind::tcp_rst_to_syn, flow.id,
                    "Connection to " + server_text(flow) + " refused: the SYN was answered with a reset (frame " +
                        std::to_string(rst) + ")",
                    "Nothing accepts connections on this address and port, or a firewall answers for it with a reset. "
                    "The device cannot reach the licensing server's HTTPS service.",
                    {first_syn, rst},
                    {"Check that the address the device resolves for the licensing server is right:", "show hosts",
                     "show running-config | include ip name-server",
                     "Check firewalls in the path for a reject rule on TCP port " + std::to_string(flow.server.port)}));
        if (auto forged = forged_reset_finding(flow, {reset, Direction::server_to_client}, Severity::error))
            result.findings.push_back(*forged);
        return;
    }
    if (handshake == HandshakeCase::icmp_error) {
        const IcmpError& error = flow.icmp_errors.front();
        std::vector<std::uint64_t> icmp_frames;
        for (const IcmpError& each : flow.icmp_errors) icmp_frames.push_back(each.frame);
        step.frames = {first_syn, error.frame};
        std::string what = icmp_error_text(error.v6, error.type, error.code);
        step.detail = "ICMP " + what + " from " + error.sender.to_string();
        bool filtered = icmp_is_administrative(error.v6, error.type, error.code);
        result.findings.push_back(Finding(
            FindingKind::tcp_icmp_unreachable, flow.id,
            "The SYN to " + server_text(flow) + " was answered by " + error.sender.to_string() + " with ICMP " + what +
                " (frame " + std::to_string(error.frame) + ")",
            filtered ? "A router or firewall at " + error.sender.to_string() +
                           " filters this connection and says so (ICMP type " + std::to_string(error.type) + ", code " +
                           std::to_string(error.code) + ")."
                     : "The network could not deliver the SYN: " + error.sender.to_string() + " reported ICMP type " +
                           std::to_string(error.type) + ", code " + std::to_string(error.code) + ".",
            icmp_frames,
            filtered
                ? std::vector<std::string>{"Permit TCP " + std::to_string(flow.server.port) + " from the device to " +
                                           flow.server.ip.to_string() + " on the filter at " + error.sender.to_string()}
                : std::vector<std::string>{"Check the route to " + flow.server.ip.to_string() +
                                           " from the device: show ip route " + flow.server.ip.to_string()}));
        return;
    }
    if (handshake == HandshakeCase::abandoned_by_device) {
        const TcpReset* reset = client.closing_reset();
        std::uint64_t rst = reset->frame;
        step.frames = {first_syn, rst};
        step.detail = "the device abandoned its attempt with a reset before any answer";
        result.findings.push_back(Finding(
            FindingKind::tcp_reset, flow.id,
            "The device reset its own connection attempt to " + server_text(flow) + " at frame " + std::to_string(rst) +
                ", before any answer",
            std::string("The device gave up waiting for the SYN-ACK and aborted the attempt. ") +
                (server.packets == 0 ? "Nothing from the server was captured: the SYN was probably dropped on the "
                                       "way, or the answer did not come back this way."
                                     : "The server's packets in the capture are no answer to the SYN."),
            {rst},
            then(reachability_test(flow.server.ip.to_string(), flow.server.port),
                 {"Check firewalls in the path for a rule dropping TCP " + std::to_string(flow.server.port)})));
        if (auto forged = forged_reset_finding(flow, {reset, Direction::client_to_server}, Severity::error))
            result.findings.push_back(*forged);
        return;
    }
    if (handshake == HandshakeCase::went_on_without_synack) {
        step.frames = {first_syn};
        step.detail = "the device went on as if it had the SYN-ACK, but the capture does not hold it";
        return;
    }
    std::uint64_t attempts = client.syn_frames.size();
    if (handshake == HandshakeCase::ended_too_soon) {
        double watched = elapsed_seconds(flow.first_time, flow.watched_until);
        step.frames = {first_syn};
        step.detail = "the capture ends " + seconds_text(watched) + " after the SYN, before the device would " +
                      "retransmit it (" + seconds_text(answer_wait_seconds) + " initial timer)";
        result.findings.push_back(Finding(
            FindingKind::capture_ended_mid_flow, flow.id,
            "The capture ends " + seconds_text(watched) + " after the SYN to " + server_text(flow) +
                ", too soon to say that no answer came",
            "A SYN-ACK usually comes within a round trip, but a device waits up to " +
                seconds_text(answer_wait_seconds) + " before it retransmits its SYN; the capture stopped first.",
            {flow.last_frame},
            {"Stop the capture only after the device has logged the outcome:", "monitor capture <name> stop"}));
        return;
    }
    step.frames = client.syn_frames;
    double waited = elapsed_seconds(flow.first_time, flow.last_time);
    step.detail = "no SYN-ACK to " + counted(attempts, "SYN") + " over " + seconds_text(waited);
    result.findings.push_back(
        Finding(FindingKind::tcp_no_synack, flow.id,
                "No answer from " + server_text(flow) + ": " + counted(attempts, "SYN") + " (" +
                    counted(attempts - 1, "retransmission") + ") and no SYN-ACK",
                "The device's connection attempts got no answer at all: something in the path drops them silently "
                "(a firewall DROP rule, a missing route or NAT), or the server is down. The device logs "
                "\"Connection timed out\".",
                client.syn_frames,
                then(reachability_test(flow.server.ip.to_string(), flow.server.port),
                     then({"Check firewalls in the path for a rule dropping TCP " + std::to_string(flow.server.port) +
                               " to " + flow.server.ip.to_string(),
                           "Make the device's HTTP client use the interface that has the route out:"},
                          configuration({"ip http client source-interface <interface>"})))));
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
        result.findings.push_back(Finding(
            FindingKind::capture_truncated_packets, flow.id,
            counted(cut_packets, "packet") + " of this connection were cut short by the capture's packet length limit",
            "The capture kept only the start of these packets, so certificates and records in them cannot be read.",
            cut_frames,
            {"Capture whole packets: leave out limit packet-len, or raise it to its most",
             "monitor capture <name> limit packet-len 9500",
             "Off the device, capture without a snap length (tcpdump -s 0)"}));
    }
    if (!missing_frames.empty()) {
        result.findings.push_back(Finding(
            FindingKind::capture_missing_segments, flow.id,
            "Bytes of this connection were acknowledged but never captured",
            "The receiver acknowledged data that is not in the capture (dropped by the capture, not by the "
            "network). What those bytes carried cannot be checked.",
            missing_frames,
            {"Capture closer to the device, or with a larger buffer:", "monitor capture <name> buffer size 100"}));
    }
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client}) {
        const TcpStreamReassembler::Counters& stream = flow.side(direction).reassembly;
        if (stream.inconsistent_retransmissions == 0) continue;
        std::string who = direction == Direction::client_to_server ? "device" : "server";
        result.findings.push_back(Finding(
            FindingKind::tcp_data_injected, flow.id,
            "Bytes of the " + who + "'s stream were captured twice with different content (frame " +
                std::to_string(stream.first_inconsistent_frame) + ")",
            "A retransmission carries other bytes than the first copy of the same sequence numbers. A stack resends "
            "what it sent; two versions mean one was forged by a box in the path (data injection, as an IPS or an "
            "attacker racing the real answer does). The report reads the first copy, as Wireshark and Zeek do, and "
            "cannot tell which one the device kept.",
            {stream.first_inconsistent_frame},
            {"Find the box in the path that answers for " + flow.server.to_string() +
             " (compare the IP TTL and IP ID of both copies)"}));
    }
    if (result.one_sided) {
        bool client_missing = flow.side(Direction::client_to_server).packets == 0;
        result.findings.push_back(
            Finding(FindingKind::capture_one_sided, flow.id,
                    std::string("Only the ") + (client_missing ? "server's" : "device's") +
                        " packets of this connection were captured",
                    "The other direction is missing, so the steps it would show cannot be checked.", {flow.first_frame},
                    {"Capture both directions:", "monitor capture <name> interface <interface> both"}));
    }
}

}  // namespace

TcpAssessment assess_tcp(const TcpFlow& flow) {
    TcpAssessment result;
    result.one_sided = is_one_sided(flow);
    assess_handshake(flow, result);
    if (one_side_hides(result.handshake.status, result.one_sided)) {
        result.handshake.status = StepStatus::unknown;
        result.handshake.frames.clear();
        result.handshake.detail = "only one direction was captured";
    }
    if (auto ignored = ignored_resets_finding(flow)) result.findings.push_back(*ignored);
    assess_capture_quality(flow, result);
    return result;
}

StepStatus tcp_handshake_status(const TcpFlow& flow) {
    StepStatus status = status_of(handshake_case(flow));
    return one_side_hides(status, is_one_sided(flow)) ? StepStatus::unknown : status;
}

}  // namespace trustcap
