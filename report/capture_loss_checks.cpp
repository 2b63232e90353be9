#include "report/capture_loss_checks.h"

#include <algorithm>
#include <set>
#include <string>

#include "report/wording.h"

namespace trustcap {
namespace {

std::uint64_t packets_lost_during(const TcpFlow& flow, const std::vector<CaptureLoss>& losses) {
    std::uint64_t lost = 0;
    for (const CaptureLoss& loss : losses)
        if (loss.to >= flow.first_time && loss.from <= flow.watched_until) lost += loss.packets;
    return lost;
}

// Frames whose capture shows a failure: a reset, an ICMP error, a TLS alert,
// the proxy's answer, and what the TLS checks saw go wrong (bytes that are
// not TLS, an aborted handshake).
std::set<std::uint64_t> frames_showing_a_failure(const FlowEvidence& evidence, const std::vector<Finding>& findings) {
    const TcpFlow& flow = *evidence.flow;
    std::set<std::uint64_t> frames;
    for (const Finding& finding : findings)
        if (finding.info().family == FindingFamily::tls && finding.severity == Severity::error &&
            !finding.info().rests_on_absence)
            frames.insert(finding.frames.begin(), finding.frames.end());
    for (const FlowDirection& side : flow.directions)
        for (const TcpReset& reset : side.resets) frames.insert(reset.frame);
    for (const IcmpError& error : flow.icmp_errors) frames.insert(error.frame);
    if (evidence.connection) {
        for (const TlsMessage& message : evidence.connection->tls.messages)
            if (message.kind == TlsMessageKind::alert) frames.insert(message.frame);
        const auto& http = evidence.connection->http;
        if (http && http->response) frames.insert(http->response_frame);
    }
    return frames;
}

}  // namespace

void account_for_capture_loss(FlowReport& report, const FlowEvidence& evidence, const std::vector<CaptureLoss>& losses) {
    std::uint64_t lost = packets_lost_during(*evidence.flow, losses);
    if (lost == 0) return;
    std::set<std::uint64_t> shown = frames_showing_a_failure(evidence, report.findings);
    // A handshake that ended with a FIN ended, whatever was lost around it;
    // an answer that never came before a FIN may be among the lost packets.
    std::set<std::uint64_t> handshake_closes;
    for (const FlowDirection& side : evidence.flow->directions)
        if (side.fin_frame) handshake_closes.insert(*side.fin_frame);
    std::string hidden_steps;
    for (StepResult& step : report.steps) {
        if (step.status != StepStatus::fail) continue;
        auto shows_failure = [&](std::uint64_t frame) {
            return shown.contains(frame) || (step.name == StepName::tls && handshake_closes.contains(frame));
        };
        if (std::any_of(step.frames.begin(), step.frames.end(), shows_failure)) continue;
        step.status = StepStatus::unknown;
        step.detail = "perhaps hidden by the capture's drops: " + step.detail;
        hidden_steps += (hidden_steps.empty() ? "" : ", ") + std::string(step_name(step.name));
    }
    if (hidden_steps.empty()) return;
    std::string lost_text = counted(lost, "packet");
    for (Finding& finding : report.findings) {
        if (!finding.info().rests_on_absence || finding.severity != Severity::error) continue;
        finding.severity = Severity::warning;
        finding.explanation += " The capture lost " + lost_text +
                               " while this connection was open: what is missing may be among them.";
    }
    report.findings.push_back(Finding{
        FindingKind::capture_drops_hide_step, report.id,
        "The capture lost " + lost_text + " while this connection was open; step " + hidden_steps +
            " cannot be judged",
        "The kernel or the interface dropped packets (pcap_stats) between the connection's first packet and the "
        "moment it was judged. A step that failed because a packet never showed up may have happened unseen, "
        "so it is unknown rather than failed.",
        {},
        {"Give trustcap live a larger kernel buffer (-B, in MiB) or a narrower --filter",
         "Trigger the exchange again:", "license smart sync all"}});
}

}  // namespace trustcap
