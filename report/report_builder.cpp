#include "report/report_builder.h"

#include <algorithm>

#include "report/tcp_checks.h"
#include "report/timeline.h"

namespace trustcap {
namespace {

bool is_problem(const Finding& finding) { return finding.severity != Severity::info; }

bool step_is_good(const StepResult& step) {
    return step.status == StepStatus::pass || step.status == StepStatus::not_applicable;
}

StepResult not_dissected(StepName name) {
    return StepResult{name, StepStatus::unknown, {}, "not checked: TLS is not dissected by this version"};
}

SideStatistics statistics_of(const FlowDirection& side) {
    SideStatistics statistics;
    statistics.packets = side.packets;
    statistics.payload_bytes = side.payload_bytes;
    statistics.retransmissions = side.reassembly.retransmissions;
    statistics.inconsistent_retransmissions = side.reassembly.inconsistent_retransmissions;
    statistics.out_of_order = side.reassembly.out_of_order;
    statistics.overlaps = side.reassembly.overlaps;
    statistics.bytes_not_captured = side.reassembly.gap_bytes;
    statistics.zero_window_packets = side.zero_window_packets;
    statistics.cut_packets = side.cut_packets;
    return statistics;
}

FlowReport judge_flow(const TcpFlow& flow) {
    FlowReport report;
    report.id = flow.id;
    report.client = flow.client;
    report.server = flow.server;
    report.roles_guessed = !flow.roles_from_syn;
    report.start = flow.first_time;
    report.end = flow.last_time;

    TcpAssessment tcp = assess_tcp(flow);
    report.steps = {StepResult{StepName::connect, StepStatus::not_applicable, {}, "no proxy"}, tcp.handshake,
                    not_dissected(StepName::tls), not_dissected(StepName::appdata), tcp.teardown};
    report.findings = std::move(tcp.findings);
    report.timeline = build_timeline(flow);
    report.timeline_omitted = flow.timeline_omitted;
    report.client_statistics = statistics_of(flow.side(Direction::client_to_server));
    report.server_statistics = statistics_of(flow.side(Direction::server_to_client));

    report.healthy = std::all_of(report.steps.begin(), report.steps.end(), step_is_good) &&
                     std::none_of(report.findings.begin(), report.findings.end(), is_problem);
    if (report.healthy) {
        std::vector<std::uint64_t> frames;
        for (const StepResult& step : report.steps) frames.insert(frames.end(), step.frames.begin(), step.frames.end());
        report.findings.push_back(Finding{"flow.healthy", Severity::info, flow.id,
                                          "Every step to " + flow.server.to_string() + " passed",
                                          "Handshake, TLS, application data both ways and teardown are all in the capture.",
                                          frames, {}});
    }
    return report;
}

Finding capture_finding(std::string id, Severity severity, std::string summary, std::string explanation,
                        std::vector<std::uint64_t> frames, std::vector<std::string> fix) {
    return Finding{std::move(id), severity, std::nullopt, std::move(summary), std::move(explanation),
                   std::move(frames), std::move(fix)};
}

}  // namespace

Report build_report(CaptureSummary capture, const std::vector<std::unique_ptr<TcpFlow>>& flows,
                    std::uint64_t other_tcp_flows) {
    Report report;
    report.capture = std::move(capture);
    report.other_tcp_flows = other_tcp_flows;

    if (!report.capture.complete) {
        report.findings.push_back(capture_finding(
            "capture.truncated_file", Severity::error,
            "The capture file is damaged after frame " + std::to_string(report.capture.frames) + ": " +
                report.capture.damage,
            "The file ends inside a packet record or is corrupt from there on, usually because the copy from "
            "the device was cut short or the capture was not stopped before export. Everything up to the damage "
            "is reported; whatever came after is not.",
            report.capture.frames > 0 ? std::vector<std::uint64_t>{report.capture.frames} : std::vector<std::uint64_t>{},
            {"monitor capture <name> stop, then monitor capture <name> export location flash:<file>.pcap",
             "copy flash:<file>.pcap again and compare sizes: dir flash:<file>.pcap"}));
    }
    if (report.capture.malformed_packets > 0) {
        report.findings.push_back(capture_finding(
            "capture.malformed_packets", Severity::info,
            std::to_string(report.capture.malformed_packets) + " frames could not be decoded (first: " +
                report.capture.first_malformed_reason + ")",
            "Their headers are shorter or longer than they claim. They were skipped; if they belong to the "
            "licensing connection, steps they carried show as missing.",
            report.capture.first_malformed_frames, {}));
    }
    const CaptureSummary& summary = report.capture;
    if (summary.flows_evicted + summary.streams_cut_for_memory + summary.reassembly_cap_evictions > 0) {
        report.findings.push_back(capture_finding(
            "capture.memory_limit", Severity::warning,
            "trustcap's memory limits were reached: " + std::to_string(summary.flows_evicted) +
                " flows left the flow table early, " +
                std::to_string(summary.streams_cut_for_memory + summary.reassembly_cap_evictions) +
                " stream holes were given up",
            "The capture holds more concurrent connections or more out-of-order data than trustcap keeps in "
            "memory. The flows concerned may show steps as missing that are in the capture.",
            {}, {"Narrow the capture to the device: trustcap --filter 'host <device-ip>' FILE"}));
    }
    if (flows.empty()) {
        report.findings.push_back(capture_finding(
            "capture.no_licensing_traffic", Severity::error,
            "No connection to check: no TCP flow to port 443 (or a port named with --port) in " +
                std::to_string(report.capture.frames) + " frames; " + std::to_string(other_tcp_flows) +
                " other TCP flows",
            "The capture holds no attempt by the device to reach a licensing server. Either the capture ran "
            "while the device was not trying, or it was taken on an interface the licensing traffic does not "
            "cross.",
            {},
            {"monitor capture <name> interface <uplink> both, then trigger: license smart sync all",
             "show license status (which transport and URL the device uses)"}));
    }
    for (const auto& flow : flows) report.flows.push_back(judge_flow(*flow));
    for (const FlowReport& flow : report.flows)
        report.findings.insert(report.findings.end(), flow.findings.begin(), flow.findings.end());

    report.healthy = !report.flows.empty() &&
                     std::all_of(report.flows.begin(), report.flows.end(), [](const FlowReport& f) { return f.healthy; }) &&
                     std::none_of(report.findings.begin(), report.findings.end(), is_problem);
    return report;
}

}  // namespace trustcap
