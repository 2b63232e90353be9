#include "report/tcp_resets.h"

#include <algorithm>
#include <vector>

namespace trustcap {
namespace {

std::string why_ignored(const TcpReset& reset, Direction sender) {
    std::string why;
    if (!reset.acceptable) {
        why = reset.to_syn_sent ? (reset.has_ack ? "its acknowledgement number does not acknowledge the device's SYN"
                                            : "it carries no acknowledgement of the device's SYN")
                           : "its sequence number is outside the receiver's window";
    }
    if (reset.outlived_at) {
        if (!why.empty()) why += ", and ";
        why += "the " + std::string(side_name(sender)) + " went on at frame " + std::to_string(*reset.outlived_at);
    }
    return why;
}

std::string ttl_evidence(const FlowDirection& side, const TcpReset& reset, Direction sender) {
    if (!side.first_ttl || *side.first_ttl == reset.ttl) return "";
    return "; its IP TTL is " + std::to_string(reset.ttl) + " while the " + side_name(sender) +
           "'s other packets arrive with " + std::to_string(*side.first_ttl);
}

}  // namespace

const char* side_name(Direction direction) { return direction == Direction::client_to_server ? "device" : "server"; }

std::optional<ClosingReset> first_closing_reset(const TcpFlow& flow) {
    std::optional<ClosingReset> first;
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client}) {
        const TcpReset* reset = flow.side(direction).closing_reset();
        if (reset && (!first || reset->frame < first->reset->frame)) first = ClosingReset{reset, direction};
    }
    return first;
}

std::optional<Finding> forged_reset_finding(const TcpFlow& flow, const ClosingReset& closing, Severity severity) {
    const FlowDirection& side = flow.side(closing.sender);
    const TcpReset& reset = *closing.reset;
    if (!side.first_ttl || *side.first_ttl == reset.ttl) return std::nullopt;
    std::string who = side_name(closing.sender);
    return Finding{FindingKind::tcp_reset_injected,
                   severity,
                   flow.id,
                   "The reset at frame " + std::to_string(reset.frame) +
                       " was sent by a middlebox such as a firewall or IPS, not by the " + who,
                   "Its IP TTL is " + std::to_string(reset.ttl) + " while the " + who + "'s other packets arrive with " +
                       std::to_string(*side.first_ttl) + ": another box between the device and the server forged it.",
                   {reset.frame},
                   {"Find the firewall or IPS that resets the connection and allow the device to reach " +
                        flow.server.to_string(),
                    "Exempt smartreceiver.cisco.com from SSL decryption and IPS signatures on it"}};
}

std::optional<Finding> ignored_resets_finding(const TcpFlow& flow) {
    std::vector<std::uint64_t> frames;
    std::string first_reason;
    std::string first_sender;
    for (Direction sender : {Direction::client_to_server, Direction::server_to_client}) {
        const FlowDirection& side = flow.side(sender);
        const TcpReset* closing = side.closing_reset();
        for (const TcpReset& reset : side.resets) {
            if (reset.ended_connection()) continue;
            // A stale copy just before the same side's own closing reset is that side aborting, not a forgery.
            if (!reset.outlived && closing && closing->frame > reset.frame && closing->ttl == reset.ttl) continue;
            if (first_reason.empty() || reset.frame < frames.front()) {
                first_sender = side_name(sender);
                first_reason = "The reset at frame " + std::to_string(reset.frame) + ", in the " + side_name(sender) +
                               "'s name, was ignored: " + why_ignored(reset, sender) +
                               ttl_evidence(side, reset, sender) + ".";
            }
            frames.push_back(reset.frame);
        }
    }
    if (frames.empty()) return std::nullopt;
    std::sort(frames.begin(), frames.end());
    std::string summary = frames.size() == 1
                              ? "A reset in the " + first_sender + "'s name at frame " + std::to_string(frames.front()) +
                                    " was ignored: the connection went on (forged or stale)"
                              : std::to_string(frames.size()) + " resets, the first at frame " +
                                    std::to_string(frames.front()) + ", were ignored: the connection went on (forged or stale)";
    return Finding{FindingKind::tcp_reset_injected,
                   Severity::warning,
                   flow.id,
                   summary,
                   first_reason +
                       " A firewall or IPS that injects resets produces exactly this; the endpoints carried on, so "
                       "trustcap judges the connection by the packets that followed.",
                   frames,
                   {"Find the firewall or IPS in the path that injects resets (its logs name the rule), and exempt "
                    "the device's licensing traffic from it"}};
}

}  // namespace trustcap
