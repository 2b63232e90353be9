#include "report/report_builder.h"

#include <algorithm>

#include "dissect/tls_names.h"
#include "report/attempts.h"
#include "report/capture_checks.h"
#include "report/capture_loss_checks.h"
#include "report/configuration_checks.h"
#include "report/diagnosis.h"
#include "report/flow_identity.h"
#include "report/limit_checks.h"
#include "report/plain_http_checks.h"
#include "report/proxy_checks.h"
#include "report/tcp_checks.h"
#include "report/tcp_resets.h"
#include "report/teardown_checks.h"
#include "report/timeline.h"
#include "report/tls_checks.h"

namespace trustcap {
namespace {

constexpr std::uint16_t https_port = 443;


// The verdict answers "did the exchange work?": the request was answered,
// nothing failed on the way. How the connection closed, or what the capture
// missed after the answer, is told as a warning.
bool exchange_worked(const FlowReport& flow) {
    bool answered = std::any_of(flow.steps.begin(), flow.steps.end(), [](const StepResult& s) {
        return s.name == StepName::appdata && s.status == StepStatus::pass;
    });
    return answered && !attempt_failed(flow);
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

bool is_unidentified_attempt(const FlowEvidence& evidence, const std::set<std::uint16_t>& attempt_ports) {
    const TcpFlow& flow = *evidence.flow;
    if (!attempt_ports.contains(flow.server.port)) return false;
    if (carried_tls_or_http(evidence)) return false;
    bool reset = first_closing_reset(flow).has_value();
    return reset || !flow.icmp_errors.empty() || tcp_handshake_status(flow) == StepStatus::fail;
}

bool nothing_but_syns(const TcpFlow& flow) {
    const FlowDirection& client = flow.side(Direction::client_to_server);
    return flow.side(Direction::server_to_client).packets == 0 && flow.icmp_errors.empty() &&
           client.packets == client.syn_frames.size();
}

// The request was answered; or, where the capture cannot show the
// application's bytes, both sides had sent data and fallen silent.
bool exchange_over(const TcpFlow& flow, StepStatus appdata) {
    if (appdata == StepStatus::pass) return true;
    if (appdata != StepStatus::unknown) return false;
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    auto closing = first_closing_reset(flow);
    return client.last_data_frame && server.last_data_frame && closing &&
           closing->reset->frame > std::max(*client.last_data_frame, *server.last_data_frame);
}

TlsReport tls_report(const TlsSummary& summary, bool public_server) {
    TlsReport report;
    report.server_name = summary.server_name;
    if (summary.version) report.version = tls_version_name(*summary.version);
    if (summary.cipher_suite) report.cipher = tls_cipher_suite_name(*summary.cipher_suite);
    report.client_certificate_requested = summary.client_certificate_requested;
    if (summary.server_chain) report.server_certificates = summary.server_chain->certificates;
    if (summary.client_chain) report.client_certificates = summary.client_chain->certificates;
    report.server_verification = public_server ? summary.licensing_verification : summary.server_verification;
    return report;
}

DecryptionReport decryption_report(const TlsDecryption& decryption, const TlsSummary& summary) {
    DecryptionReport report;
    report.keys_found = decryption.keys_found;
    report.not_decryptable = decryption.not_decryptable;
    report.client_records = decryption.records_decrypted[static_cast<std::size_t>(Direction::client_to_server)];
    report.server_records = decryption.records_decrypted[static_cast<std::size_t>(Direction::server_to_client)];
    report.client_failed_frame = decryption.failed_at_frame[static_cast<std::size_t>(Direction::client_to_server)];
    report.server_failed_frame = decryption.failed_at_frame[static_cast<std::size_t>(Direction::server_to_client)];
    report.server_certificates_decrypted = summary.server_chain && summary.server_chain->decrypted;
    report.client_certificates_decrypted = summary.client_chain && summary.client_chain->decrypted;
    return report;
}

FlowReport judge_flow(const FlowEvidence& evidence, const FlowIdentity& identity, TcpAssessment tcp,
                      const JudgingContext& context) {
    const LicensingTargets& targets = context.targets;
    const TcpFlow& flow = *evidence.flow;
    FlowReport report;
    report.id = flow.id;
    report.wireshark_stream = flow.wireshark_stream;
    report.client = flow.client;
    report.server = flow.server;
    report.roles_guessed = !flow.roles_from_syn;
    report.start = flow.first_time;
    report.end = flow.last_time;
    report.first_frame = flow.first_frame;
    report.last_frame = flow.last_frame;
    report.kind = identity.kind;
    report.server_name = identity.server_name;
    report.identified_by = identity.named_by;

    static const std::optional<HttpExchange> no_http;
    const auto& http = evidence.connection ? evidence.connection->http : no_http;
    ProxyAssessment proxy = assess_proxy(flow, http, identity.configured_proxy);
    report.proxy = proxy.proxy;
    report.findings = std::move(tcp.findings);
    report.findings.insert(report.findings.end(), proxy.findings.begin(), proxy.findings.end());

    StepResult tls_step{StepName::tls, StepStatus::unknown, {}, "the connection's bytes were not dissected"};
    StepResult appdata_step{StepName::appdata, StepStatus::unknown, {}, "the connection's bytes were not dissected"};
    if (http && http->request.method != "CONNECT" && tcp.handshake.status != StepStatus::fail) {
        TlsAssessment plain = assess_plain_http(flow, *evidence.connection, identity.kind != ServerKind::other);
        tls_step = std::move(plain.handshake);
        appdata_step = std::move(plain.appdata);
        report.findings.insert(report.findings.end(), plain.findings.begin(), plain.findings.end());
    } else if (evidence.connection) {
        bool public_server = is_cisco_licensing(identity.kind);
        const HttpExchange* tunnel = http && http->request.method == "CONNECT" ? &*http : nullptr;
        TlsAssessment tls = assess_tls(TlsContext{flow, evidence.connection->tls, evidence.tls,
                                                  tcp.handshake.status, proxy.refused, public_server, tunnel});
        tls_step = std::move(tls.handshake);
        appdata_step = std::move(tls.appdata);
        report.findings.insert(report.findings.end(), tls.findings.begin(), tls.findings.end());
        if (evidence.connection->carries_tls) {
            report.tls = tls_report(evidence.tls, public_server);
            if (const auto& decryption = evidence.connection->tls.decryption)
                report.tls->decryption = decryption_report(*decryption, evidence.tls);
        }
    }
    if (evidence.connection) {
        std::vector<Finding> limits = assess_dissection_limits(flow, *evidence.connection, evidence.tls);
        report.findings.insert(report.findings.end(), limits.begin(), limits.end());
    }
    if (tcp.one_sided) {
        // With one direction missing, what the dissectors saw is half a conversation.
        for (StepResult* step : {&tls_step, &appdata_step}) {
            if (tcp.handshake.status == StepStatus::fail) continue;
            step->status = StepStatus::unknown;
            step->frames.clear();
            step->detail = "only one direction was captured";
        }
        std::erase_if(report.findings, [](const Finding& f) { return f.info().needs_both_directions; });
    }
    if (tcp.handshake.status == StepStatus::unknown && !tcp.one_sided && nothing_but_syns(flow)) {
        // The capture ended before the server could answer: no later step could have happened in it.
        for (StepResult* step : {&tls_step, &appdata_step}) {
            step->status = StepStatus::not_applicable;
            step->frames.clear();
            step->detail = "no connection in the capture";
        }
    }
    TeardownAssessment teardown = assess_teardown(
        flow, TeardownContext{tcp.handshake.status, exchange_over(flow, appdata_step.status), tcp.one_sided});
    report.findings.insert(report.findings.end(), teardown.findings.begin(), teardown.findings.end());
    report.steps = {proxy.connect, tcp.handshake, tls_step, appdata_step, teardown.teardown};
    std::vector<Finding> configuration = assess_configuration(flow, identity, evidence.connection, report.proxy.has_value(), targets);
    report.findings.insert(report.findings.end(), configuration.begin(), configuration.end());
    report.timeline = build_timeline(flow, evidence.connection, evidence.tls);
    report.timeline_omitted = flow.timeline_omitted;
    report.client_statistics = statistics_of(flow.side(Direction::client_to_server));
    report.server_statistics = statistics_of(flow.side(Direction::server_to_client));
    if (context.capture_losses) account_for_capture_loss(report, evidence, *context.capture_losses);

    report.healthy = exchange_worked(report);
    if (report.healthy) {
        std::vector<std::uint64_t> frames;
        for (const StepResult& step : report.steps) frames.insert(frames.end(), step.frames.begin(), step.frames.end());
        std::sort(frames.begin(), frames.end());
        frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
        std::string name = report.server_name.empty() ? flow.server.to_string() : report.server_name;
        report.findings.push_back(Finding{FindingKind::flow_healthy, flow.id,
                                          "The exchange with " + name + " worked",
                                          "The device's request and the server's answer are in the capture, and no "
                                          "step before them failed.",
                                          frames, {}});
    }
    return report;
}

const DnsTransactionTable& dns_of(const JudgingContext& context) {
    static const DnsTransactionTable no_dns;
    return context.dns ? *context.dns : no_dns;
}

FlowIdentity identity_of(const FlowEvidence& evidence, const JudgingContext& context) {
    ConnectionNames names = names_of_connection(*evidence.flow, evidence.connection, dns_of(context));
    if (evidence.tls.server_chain && !evidence.tls.server_chain->certificates.empty())
        names.certificate_names = certificate_host_names(evidence.tls.server_chain->certificates.front());
    return identify_flow(evidence.flow->server, names, context.targets);
}

struct Candidate {
    const FlowEvidence* evidence = nullptr;
    FlowIdentity identity;
    FlowSelection selection = FlowSelection::none;
};

Candidate consider(const FlowEvidence& evidence, const JudgingContext& context) {
    Candidate candidate{&evidence, identity_of(evidence, context), FlowSelection::none};
    bool requested = context.checked_ports.contains(evidence.flow->server.port) ||
                     (context.targets.all_flows && evidence.connection && evidence.connection->carries_tls);
    if (candidate.identity.kind != ServerKind::other) {
        candidate.selection = FlowSelection::identified;
    } else if (requested) {
        candidate.selection = FlowSelection::requested;
    } else if (is_unidentified_attempt(evidence, context.attempt_ports)) {
        candidate.selection = FlowSelection::attempt;
    }
    return candidate;
}

FlowReport judge(Candidate& candidate, const JudgingContext& context) {
    FlowReport flow = judge_flow(*candidate.evidence, candidate.identity, assess_tcp(*candidate.evidence->flow), context);
    if (candidate.selection == FlowSelection::attempt) flow.identified_by = NamingSource::attempt;
    return flow;
}

}  // namespace

bool carried_tls_or_http(const FlowEvidence& evidence) {
    return evidence.connection && (evidence.connection->carries_tls || evidence.connection->http);
}

FlowSelection select_flow(const FlowEvidence& evidence, const JudgingContext& context) {
    return consider(evidence, context).selection;
}

void ForgottenFlows::add(const TcpFlow& flow, bool carried_tls_or_http) {
    ++count;
    add_server_only(flow, carried_tls_or_http);
}

void ForgottenFlows::add_server_only(const TcpFlow& flow, bool carried_tls_or_http) {
    if (flow.server.port != https_port && !carried_tls_or_http) return;
    if (https_servers.size() < max_servers || https_servers.contains(flow.server)) ++https_servers[flow.server];
}

std::optional<FlowReport> judge_finished_flow(const FlowEvidence& evidence, const JudgingContext& context) {
    Candidate candidate = consider(evidence, context);
    if (candidate.selection == FlowSelection::none) return std::nullopt;
    return judge(candidate, context);
}

bool is_licensing_flow(const FlowReport& flow, const std::set<std::uint16_t>& checked_ports) {
    return flow.kind != ServerKind::other || checked_ports.contains(flow.server.port);
}

Report build_report(ReportInputs inputs) {
    Report report;
    report.capture = std::move(inputs.capture);
    const JudgingContext& context = inputs.context;
    const DnsTransactionTable& dns = dns_of(context);

    std::vector<Candidate> chosen;
    bool identified_flow = false;
    for (const FlowEvidence& evidence : inputs.flows) {
        Candidate candidate = consider(evidence, context);
        identified_flow |= candidate.selection == FlowSelection::identified;
        if (candidate.selection != FlowSelection::none) chosen.push_back(std::move(candidate));
    }
    std::set<Endpoint> identified_servers;
    for (const Candidate& candidate : chosen)
        if (candidate.selection == FlowSelection::identified) identified_servers.insert(candidate.evidence->flow->server);
    for (Candidate& candidate : chosen) {
        // An unnamed attempt is kept where a named connection went to the same
        // address: it is an earlier try of that connection.
        if (candidate.selection == FlowSelection::attempt && identified_flow &&
            !identified_servers.contains(candidate.evidence->flow->server))
            continue;
        report.flows.push_back(judge(candidate, context));
    }
    report.other_tcp_flows = inputs.flows.size() + inputs.forgotten.count - report.flows.size();
    report.summarised_attempts = inputs.summarised;

    HttpsServerCounts https_servers = inputs.forgotten.https_servers;
    for (const FlowEvidence& evidence : inputs.flows)
        if (evidence.flow->server.port == https_port || carried_tls_or_http(evidence))
            ++https_servers[evidence.flow->server];
    std::vector<Finding> capture_findings = assess_capture(report.capture, https_servers, report.flows.empty(),
                                                           report.other_tcp_flows, dns, context.targets);
    if (auto summarised = assess_summarised_attempts(report.summarised_attempts))
        capture_findings.push_back(std::move(*summarised));
    report.findings.insert(report.findings.end(), capture_findings.begin(), capture_findings.end());
    for (const FlowReport& flow : report.flows)
        report.findings.insert(report.findings.end(), flow.findings.begin(), flow.findings.end());

    report.attempts = group_attempts(report.flows);
    // An earlier failed attempt is told, but the device's last word decides.
    bool capture_error = std::any_of(report.findings.begin(), report.findings.end(),
                                     [](const Finding& f) { return !f.flow && f.severity == Severity::error; });
    report.healthy = !report.flows.empty() && !capture_error &&
                     std::all_of(report.attempts.begin(), report.attempts.end(),
                                 [&](const AttemptGroup& group) { return last_attempt(report, group).healthy; });
    report.diagnosis = diagnose(report);
    return report;
}

}  // namespace trustcap
