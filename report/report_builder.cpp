#include "report/report_builder.h"

#include <algorithm>
#include <map>

#include "dissect/tls_names.h"
#include "report/diagnosis.h"
#include "report/dns_checks.h"
#include "report/flow_identity.h"
#include "report/plain_http_checks.h"
#include "report/proxy_checks.h"
#include "report/tcp_checks.h"
#include "report/timeline.h"
#include "report/tls_checks.h"

namespace trustcap {
namespace {

bool is_problem(const Finding& finding) { return finding.severity != Severity::info; }

bool step_is_good(const StepResult& step) {
    return step.status == StepStatus::pass || step.status == StepStatus::not_applicable;
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

bool is_unidentified_attempt(const FlowEvidence& evidence, const TcpAssessment& tcp,
                             const std::set<std::uint16_t>& attempt_ports) {
    const TcpFlow& flow = *evidence.flow;
    if (!attempt_ports.contains(flow.server.port)) return false;
    if (evidence.connection && (evidence.connection->carries_tls() || evidence.connection->http())) return false;
    bool reset = !flow.side(Direction::client_to_server).rst_frames.empty() ||
                 !flow.side(Direction::server_to_client).rst_frames.empty();
    return tcp.handshake.status == StepStatus::fail || reset || !flow.icmp_errors.empty();
}

TlsReport tls_report(const TlsSummary& summary) {
    TlsReport report;
    report.server_name = summary.server_name;
    if (summary.version) report.version = tls_version_name(*summary.version);
    if (summary.cipher_suite) report.cipher = tls_cipher_suite_name(*summary.cipher_suite);
    report.client_certificate_requested = summary.client_certificate_requested;
    if (summary.server_chain) report.server_certificates = summary.server_chain->certificates;
    if (summary.client_chain) report.client_certificates = summary.client_chain->certificates;
    report.server_verification = summary.server_verification;
    return report;
}

// What the device's configuration shows: the legacy server, a proxy it
// was told about but did not use.
void add_configuration_findings(const TcpFlow& flow, const FlowIdentity& identity, const ConnectionDissector* connection,
                                FlowReport& report, const LicensingTargets& targets) {
    std::uint64_t first_frame = flow.side(Direction::client_to_server).syn_frames.empty()
                                    ? flow.first_frame
                                    : flow.side(Direction::client_to_server).syn_frames.front();
    std::uint64_t naming_frame = first_frame;  // the frame that shows the server's name
    if (connection) {
        for (const TlsMessage& message : connection->tls().messages()) {
            if (message.kind == TlsMessageKind::client_hello) {
                naming_frame = message.frame;
                break;
            }
        }
        if (connection->http()) naming_frame = connection->http()->request_frame;
    }
    if (identity.kind == "legacy") {
        report.findings.push_back(Finding{
            "legacy.tools_cisco_com", Severity::warning, flow.id,
            "The device talks to tools.cisco.com: traditional Smart Licensing / Call Home",
            "Since IOS XE 17.3.2, Smart Licensing Using Policy reports to smartreceiver.cisco.com; a device still "
            "sending to tools.cisco.com has an old transport or URL configured.",
            {naming_frame},
            {"license smart transport smart", "license smart url default", "show license status"}});
    }
    bool direct = !report.proxy && !identity.configured_proxy;
    bool licensing = identity.kind == "licensing" || identity.kind == "legacy";
    if (!targets.proxies.empty() && direct && licensing) {
        const NamedEndpoint& proxy = targets.proxies.front();
        report.findings.push_back(Finding{
            "proxy.bypassed", Severity::error, flow.id,
            "The device went straight to " + flow.server.to_string() + " instead of through the proxy " +
                proxy.to_string(),
            "The proxy named with --proxy was not used: the device has no proxy configured, or another transport.",
            {first_frame},
            {"license smart proxy address " + (proxy.address ? proxy.address->to_string() : proxy.host),
             "license smart proxy port " + (proxy.port ? std::to_string(*proxy.port) : std::string("<port>")),
             "show license status (Transport: Smart, proxy)"}});
    }
}

FlowReport judge_flow(const FlowEvidence& evidence, const FlowIdentity& identity, TcpAssessment tcp,
                      const LicensingTargets& targets) {
    const TcpFlow& flow = *evidence.flow;
    FlowReport report;
    report.id = flow.id;
    report.client = flow.client;
    report.server = flow.server;
    report.roles_guessed = !flow.roles_from_syn;
    report.start = flow.first_time;
    report.end = flow.last_time;
    report.kind = identity.kind.empty() ? "other" : identity.kind;
    report.server_name = identity.server_name;
    report.identified_by = identity.identified_by;

    static const std::optional<HttpExchange> no_http;
    const auto& http = evidence.connection ? evidence.connection->http() : no_http;
    ProxyAssessment proxy = assess_proxy(flow, http, identity.configured_proxy);
    report.proxy = proxy.proxy;
    report.findings = std::move(tcp.findings);
    report.findings.insert(report.findings.end(), proxy.findings.begin(), proxy.findings.end());

    StepResult tls_step{StepName::tls, StepStatus::unknown, {}, "the connection's bytes were not dissected"};
    StepResult appdata_step{StepName::appdata, StepStatus::unknown, {}, "the connection's bytes were not dissected"};
    if (http && http->request.method != "CONNECT" && tcp.handshake.status != StepStatus::fail) {
        TlsAssessment plain = assess_plain_http(flow, *http);
        tls_step = std::move(plain.handshake);
        appdata_step = std::move(plain.appdata);
        report.findings.insert(report.findings.end(), plain.findings.begin(), plain.findings.end());
    } else if (evidence.connection) {
        bool public_server = identity.kind == "licensing" || identity.kind == "legacy";
        TlsAssessment tls = assess_tls(TlsContext{flow, evidence.connection->tls(), evidence.tls,
                                                  tcp.handshake.status, proxy.refused, public_server});
        tls_step = std::move(tls.handshake);
        appdata_step = std::move(tls.appdata);
        report.findings.insert(report.findings.end(), tls.findings.begin(), tls.findings.end());
        if (evidence.connection->carries_tls()) report.tls = tls_report(evidence.tls);
    }
    if (tcp.one_sided) {
        // With one direction missing, what the dissectors saw is half a conversation.
        for (StepResult* step : {&tls_step, &appdata_step}) {
            if (tcp.handshake.status == StepStatus::fail) continue;
            step->status = StepStatus::unknown;
            step->frames.clear();
            step->detail = "only one direction was captured";
        }
        std::erase_if(report.findings, [](const Finding& f) { return f.id.starts_with("tls.") || f.id == "app.no_response"; });
    }
    report.steps = {proxy.connect, tcp.handshake, tls_step, appdata_step, tcp.teardown};
    add_configuration_findings(flow, identity, evidence.connection, report, targets);
    report.timeline = build_timeline(flow, evidence.connection, evidence.tls);
    report.timeline_omitted = flow.timeline_omitted;
    report.client_statistics = statistics_of(flow.side(Direction::client_to_server));
    report.server_statistics = statistics_of(flow.side(Direction::server_to_client));

    report.healthy = std::all_of(report.steps.begin(), report.steps.end(), step_is_good) &&
                     std::none_of(report.findings.begin(), report.findings.end(), is_problem);
    if (report.healthy) {
        std::vector<std::uint64_t> frames;
        for (const StepResult& step : report.steps) frames.insert(frames.end(), step.frames.begin(), step.frames.end());
        std::sort(frames.begin(), frames.end());
        frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
        std::string name = report.server_name.empty() ? flow.server.to_string() : report.server_name;
        report.findings.push_back(Finding{"flow.healthy", Severity::info, flow.id,
                                          "Every step with " + name + " passed",
                                          "TCP handshake, TLS handshake, the device's request and the server's "
                                          "answer, and the teardown are all in the capture.",
                                          frames, {}});
    }
    return report;
}

// What the capture holds instead of licensing traffic: the busiest servers
// on port 443 and the names the device looked up.
std::string what_was_seen(const std::vector<FlowEvidence>& flows, const DnsTransactionTable& dns) {
    constexpr std::size_t listed = 3;
    std::map<Endpoint, std::uint64_t> connections;
    for (const FlowEvidence& evidence : flows)
        if (evidence.flow->server.port == 443) ++connections[evidence.flow->server];
    std::vector<std::pair<std::uint64_t, Endpoint>> busiest;
    for (const auto& [server, count] : connections) busiest.emplace_back(count, server);
    std::sort(busiest.begin(), busiest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string text;
    for (std::size_t i = 0; i < std::min(listed, busiest.size()); ++i)
        text += (i == 0 ? " Seen instead on port 443: " : ", ") + busiest[i].second.to_string() + " (" +
                std::to_string(busiest[i].first) + (busiest[i].first == 1 ? " connection)" : " connections)");
    std::vector<std::string> names;
    for (const DnsTransaction& transaction : dns.transactions())
        if (std::find(names.begin(), names.end(), transaction.question.name) == names.end() && names.size() < 5)
            names.push_back(transaction.question.name);
    for (std::size_t i = 0; i < names.size(); ++i) text += (i == 0 ? ". Names looked up: " : ", ") + names[i];
    return text.empty() ? text : text + ".";
}

Finding capture_finding(std::string id, Severity severity, std::string summary, std::string explanation,
                        std::vector<std::uint64_t> frames, std::vector<std::string> fix) {
    return Finding{std::move(id), severity, std::nullopt, std::move(summary), std::move(explanation),
                   std::move(frames), std::move(fix)};
}

}  // namespace

Report build_report(ReportInputs inputs) {
    Report report;
    report.capture = std::move(inputs.capture);
    static const DnsTransactionTable no_dns;
    const DnsTransactionTable& dns = inputs.dns ? *inputs.dns : no_dns;

    struct Candidate {
        const FlowEvidence* evidence;
        FlowIdentity identity;
        TcpAssessment tcp;
        bool attempt;
    };
    std::vector<Candidate> chosen;
    bool identified_flow = false;
    for (const FlowEvidence& evidence : inputs.flows) {
        FlowIdentity identity =
            identify_flow(*evidence.flow, evidence.connection, evidence.tls, dns, inputs.targets);
        TcpAssessment tcp = assess_tcp(*evidence.flow);
        bool identified = !identity.kind.empty();
        bool requested = inputs.checked_ports.contains(evidence.flow->server.port) ||
                         (inputs.targets.all_flows && evidence.connection && evidence.connection->carries_tls());
        bool attempt = !identified && !requested && is_unidentified_attempt(evidence, tcp, inputs.attempt_ports);
        identified_flow |= identified;
        if (identified || requested || attempt) chosen.push_back({&evidence, std::move(identity), std::move(tcp), attempt});
    }
    for (Candidate& candidate : chosen) {
        if (candidate.attempt && identified_flow) continue;
        FlowReport flow = judge_flow(*candidate.evidence, candidate.identity, std::move(candidate.tcp), inputs.targets);
        if (candidate.attempt) flow.identified_by = "attempt";
        report.flows.push_back(std::move(flow));
    }
    report.other_tcp_flows = inputs.flows.size() - report.flows.size();

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
    std::vector<Finding> dns_findings = assess_dns(dns, inputs.targets);
    report.findings.insert(report.findings.end(), dns_findings.begin(), dns_findings.end());
    if (report.flows.empty() && !has_licensing_query(dns, inputs.targets)) {
        std::string seen = what_was_seen(inputs.flows, dns);
        report.findings.push_back(capture_finding(
            "capture.no_licensing_traffic", Severity::error,
            "No connection to a licensing server and no lookup of its name in " +
                std::to_string(report.capture.frames) + " frames (" + std::to_string(report.other_tcp_flows) +
                " other TCP flows)",
            "The capture holds no attempt by the device to reach smartreceiver.cisco.com, tools.cisco.com or a "
            "server named with --server. Either the capture ran while the device was not trying, or it was taken "
            "on an interface the licensing traffic does not cross." + seen,
            {},
            {"monitor capture <name> interface <uplink> both, then trigger: license smart sync all",
             "show license status (which transport and URL the device uses)"}));
        report.findings.push_back(capture_finding(
            "dns.no_query", Severity::warning, "The device never looked up smartreceiver.cisco.com",
            "Neither a DNS query for the licensing server nor a connection to it is in the capture: the device may "
            "have no name server configured, or it did not try at all.",
            {}, {"ip name-server <ip>", "ip domain lookup source-interface <interface>", "license smart sync all"}));
    }
    for (const FlowReport& flow : report.flows)
        report.findings.insert(report.findings.end(), flow.findings.begin(), flow.findings.end());

    report.healthy = !report.flows.empty() &&
                     std::all_of(report.flows.begin(), report.flows.end(), [](const FlowReport& f) { return f.healthy; }) &&
                     std::none_of(report.findings.begin(), report.findings.end(), is_problem);
    report.diagnosis = diagnose(report);
    return report;
}

}  // namespace trustcap
