#include "report/teardown_checks.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "report/tcp_resets.h"
#include "report/wording.h"

namespace trustcap {
namespace {

std::string capitalized(std::string text) {
    if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

std::optional<std::uint64_t> fin_before(const FlowDirection& side, std::uint64_t frame) {
    if (side.fin_frame && *side.fin_frame < frame) return side.fin_frame;
    return std::nullopt;
}

// What the connection had done when the reset came, from what was captured.
std::string reset_context(const TcpFlow& flow, const TeardownContext& context, Direction sender,
                          std::uint64_t rst_frame) {
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    const FlowDirection& own = flow.side(sender);
    const FlowDirection& peer = flow.side(opposite(sender));
    if (fin_before(own, rst_frame) && fin_before(peer, rst_frame)) return "after both FINs";
    if (fin_before(peer, rst_frame)) return "after the " + std::string(side_name(opposite(sender))) + "'s FIN";
    if (fin_before(own, rst_frame)) return "after its own FIN";
    if (!client.first_data_frame && !server.first_data_frame) {
        return context.handshake == StepStatus::pass ? "after the handshake, before any data"
                                                     : "with no data captured before it";
    }
    return "after " + counted(client.payload_bytes, "byte") + " from the device and " +
           counted(server.payload_bytes, "byte") + " from the server";
}

void ended_mid_flow(const TcpFlow& flow, TeardownAssessment& result) {
    result.findings.push_back(Finding{
        FindingKind::capture_ended_mid_flow, flow.id,
        "The capture ends before the connection to " + flow.server.to_string() + " was fully closed (last packet: frame " +
            std::to_string(flow.last_frame) + ")",
        "The last packet of this connection is frame " + std::to_string(flow.last_frame) +
            "; whatever happened next is not in the capture. Stop the capture only after the device "
            "reports the result (show license status).",
        {flow.last_frame},
        {"Stop the capture only after the device has logged the outcome:", "monitor capture <name> stop"}});
}

void judge_reset(const TcpFlow& flow, const TeardownContext& context, const ClosingReset& closing,
                 TeardownAssessment& result) {
    StepResult& step = result.teardown;
    const TcpReset& reset = *closing.reset;
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    std::string who = side_name(closing.sender);
    std::string context_text = reset_context(flow, context, closing.sender, reset.frame);
    bool peer_closed_first = fin_before(flow.side(opposite(closing.sender)), reset.frame).has_value();
    bool abortive_close = context.exchange_completed || peer_closed_first;

    std::optional<Finding> forged =
        forged_reset_finding(flow, closing, abortive_close ? Severity::warning : Severity::error);
    std::string sender = forged ? "a middlebox, in the " + who + "'s name," : "the " + who;
    if (abortive_close) {
        step.status = StepStatus::pass;
        // Both FINs before the reset are judged as a close (assess_teardown): at most one is here.
        std::optional<std::uint64_t> fin = fin_before(client, reset.frame);
        if (!fin) fin = fin_before(server, reset.frame);
        if (fin) step.frames.push_back(*fin);
        step.frames.push_back(reset.frame);
        step.detail = "closed abortively: reset by " + sender + " at frame " + std::to_string(reset.frame) + " " +
                      context_text;
        result.findings.push_back(Finding{
            FindingKind::tcp_abortive_close, flow.id,
            capitalized(sender) + " closed the connection with a reset at frame " + std::to_string(reset.frame) + ", " +
                context_text,
            context.exchange_completed
                ? "The exchange itself was over: this reset only cut the close short. Many HTTPS clients and servers "
                  "close this way (often when bytes arrive after they closed); it did not stop the licensing exchange."
                : "The other side had already closed the connection: this reset only ended what was left of it. "
                  "Whatever stopped the connection happened before it.",
            {reset.frame},
            {}});
    } else {
        step.status = StepStatus::fail;
        step.frames = {reset.frame};
        step.detail = "reset by " + sender + " at frame " + std::to_string(reset.frame) + " " + context_text;
        result.findings.push_back(Finding{
            FindingKind::tcp_reset, flow.id,
            capitalized(sender) + " reset the connection at frame " + std::to_string(reset.frame) + ", " + context_text,
            closing.sender == Direction::server_to_client
                ? "The server side aborted the connection before the exchange was over. A reset sent by a firewall "
                  "or IPS in the path looks the same from the device."
                : "The device aborted the connection before the exchange was over: its HTTPS client gave up, "
                  "usually because of what it received just before.",
            {reset.frame},
            {}});
    }
    if (forged) result.findings.push_back(*forged);
}

}  // namespace

TeardownAssessment assess_teardown(const TcpFlow& flow, const TeardownContext& context) {
    TeardownAssessment result;
    StepResult& step = result.teardown;
    step.name = StepName::teardown;
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    bool never_answered = server.packets == 0 && flow.icmp_errors.empty() && !context.one_sided;
    if (context.handshake == StepStatus::fail || (context.handshake == StepStatus::unknown && never_answered)) {
        step.status = StepStatus::not_applicable;
        step.detail = "no connection was established";
        return result;
    }
    std::optional<ClosingReset> closing = first_closing_reset(flow);
    bool both_fins = client.fin_frame && server.fin_frame;
    bool closed_before_reset =
        both_fins && (!closing || std::max(*client.fin_frame, *server.fin_frame) < closing->reset->frame);

    if (closing && !closed_before_reset) {
        judge_reset(flow, context, *closing, result);
    } else if (both_fins) {
        bool client_first = *client.fin_frame < *server.fin_frame;
        const FlowDirection& second = client_first ? server : client;
        std::uint64_t first_fin = std::min(*client.fin_frame, *server.fin_frame);
        std::uint64_t second_fin = std::max(*client.fin_frame, *server.fin_frame);
        step.status = StepStatus::pass;
        step.frames = {first_fin, second_fin};
        step.detail = std::string("FIN from the ") + (client_first ? "device" : "server") + ", FIN from the " +
                      (client_first ? "server" : "device");
        if (second.fin_acked_frame) {
            step.frames.push_back(*second.fin_acked_frame);
            step.detail += ", last ACK";
        } else {
            step.detail += " (the last ACK was not captured)";
        }
        if (closing) {
            step.frames = {first_fin, closing->reset->frame};
            std::string who = side_name(closing->sender);
            step.detail += "; then a reset from the " + who + " at frame " + std::to_string(closing->reset->frame);
            result.findings.push_back(Finding{
                FindingKind::tcp_abortive_close, flow.id,
                "The " + who + " sent a reset at frame " + std::to_string(closing->reset->frame) + ", after both FINs",
                "Both sides had closed: the reset only answered bytes that came after a close. It did not stop the "
                "licensing exchange.",
                {closing->reset->frame},
                {}});
            if (auto forged = forged_reset_finding(flow, *closing, Severity::warning)) result.findings.push_back(*forged);
        }
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
        ended_mid_flow(flow, result);
    }
    if (context.one_sided && step.status != StepStatus::fail) {
        // The other side's FIN may well be there on the wire: nothing can be said of the close.
        step.status = StepStatus::unknown;
        step.frames.clear();
        step.detail = "only one direction was captured";
        std::erase_if(result.findings, [](const Finding& f) { return f.kind == FindingKind::capture_ended_mid_flow; });
    }
    return result;
}

}  // namespace trustcap
