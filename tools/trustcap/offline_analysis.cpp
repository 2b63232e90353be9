#include "offline_analysis.h"

#include "capture/capture_file.h"
#include "capture/flow_tracker.h"
#include "capture/link_type.h"
#include "capture/packet_decoder.h"
#include "dissect/certificate_verifier.h"
#include "dissect/dns_message.h"
#include "dissect/dns_transactions.h"
#include "dissect/tls_summary.h"
#include "dissector_registry.h"
#include "licensing_interest.h"
#include "report/report_builder.h"

namespace trustcap {
namespace {

constexpr std::size_t malformed_frames_listed = 10;
constexpr std::uint16_t dns_port = 53;
constexpr std::uint16_t https_port = 443;

std::string unsupported_link_type_error(int dlt) {
    return "unsupported link type " + link_type_name(dlt) + " (DLT " + std::to_string(dlt) +
           "); trustcap reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback captures";
}

bool load_trust(const AnalysisOptions& options, TrustStore& trust, std::string& error) {
    std::string system_error;
    trust.add_system_default(system_error);  // a machine without a CA bundle still works with --ca-bundle
    for (const std::string& bundle : options.ca_bundles) {
        if (!trust.add_pem_bundle(bundle, error)) {
            error = "--ca-bundle " + bundle + ": " + error;
            return false;
        }
    }
    return true;
}

// Ports where a bare connection attempt may be the device trying to reach a
// licensing server (or its proxy) before anything names it.
std::set<std::uint16_t> attempt_ports(const AnalysisOptions& options) {
    std::set<std::uint16_t> ports{https_port};
    for (const NamedEndpoint& proxy : options.targets.proxies)
        if (proxy.port) ports.insert(*proxy.port);
    for (const NamedEndpoint& server : options.targets.servers)
        if (server.port) ports.insert(*server.port);
    ports.insert(options.checked_ports.begin(), options.checked_ports.end());
    return ports;
}

void add_dns(const DecodedPacket& packet, DnsTransactionTable& dns) {
    std::string error;
    auto message = parse_dns_message(packet.payload, error);
    if (!message) return;
    dns.add(*message, Endpoint{packet.source, packet.source_port}, Endpoint{packet.destination, packet.destination_port},
            packet.frame, packet.time);
}

// The name the device meant to reach, for checking the server's certificate.
std::string intended_host(const TcpFlow& flow, const ConnectionDissector& connection, const DnsTransactionTable& dns) {
    for (const TlsMessage& message : connection.tls().messages())
        if (message.kind == TlsMessageKind::client_hello && message.client_hello &&
            !message.client_hello->server_name.empty())
            return message.client_hello->server_name;
    if (connection.http() && connection.http()->request.method == "CONNECT")
        return host_of_target(connection.http()->request.target);
    std::vector<std::string> names = dns.names_for(flow.server.ip, flow.first_frame);
    return names.empty() ? std::string() : names.front();
}

}  // namespace

AnalysisOutcome analyze_file(const AnalysisOptions& options) {
    AnalysisOutcome outcome;
    std::string error;
    auto file = CaptureFile::open(options.file, error);
    if (!file) {
        outcome.error = error;
        return outcome;
    }
    auto link_type = supported_link_type(file->datalink());
    if (!link_type) {
        outcome.error = unsupported_link_type_error(file->datalink());
        return outcome;
    }
    if (!options.filter.empty() && !file->set_filter(options.filter, error)) {
        outcome.error = error;
        return outcome;
    }
    TrustStore trust;
    if (!load_trust(options, trust, error)) {
        outcome.error = error;
        return outcome;
    }

    std::set<std::uint16_t> service_ports = attempt_ports(options);
    DnsTransactionTable dns;
    DissectorRegistry dissectors(
        [&](const TcpFlow& flow) {
            return std::make_unique<ConnectionDissector>(
                licensing_interest(flow, dns, options.targets, options.checked_ports));
        },
        dns);
    FlowTracker::Limits limits;
    limits.max_flows = options.max_flows;
    FlowTracker tracker([&](std::uint16_t port) { return service_ports.contains(port); },
                        [](const Endpoint&, const Endpoint&) { return true; },
                        [&](const TcpFlow& flow) { return dissectors.consumer_for(flow); }, limits);
    PacketDecoder decoder(*link_type);
    CaptureSummary capture;
    capture.file = options.file == "-" ? "(standard input)" : options.file;
    capture.link_type = link_type_name(file->datalink());

    RawFrame frame;
    CaptureFile::ReadStatus status;
    while ((status = file->next(frame)) == CaptureFile::ReadStatus::frame) {
        if (!capture.first_time) capture.first_time = frame.time;
        capture.last_time = frame.time;
        if (frame.cut_by_snaplen()) ++capture.truncated_packets;
        DecodeResult decoded = decoder.decode(frame);
        if (decoded.status == DecodeStatus::malformed) {
            if (capture.malformed_packets++ == 0) capture.first_malformed_reason = decoded.reason;
            if (capture.first_malformed_frames.size() < malformed_frames_listed)
                capture.first_malformed_frames.push_back(frame.number);
        }
        if (decoded.status != DecodeStatus::decoded) continue;
        const DecodedPacket& packet = decoded.packet;
        if (packet.transport == Transport::udp && (packet.source_port == dns_port || packet.destination_port == dns_port)) {
            add_dns(packet, dns);
        } else {
            tracker.add(packet);
        }
    }
    tracker.finish();
    capture.frames = file->frames_read();
    capture.precision_digits = file->precision_digits();
    if (status == CaptureFile::ReadStatus::damaged) {
        capture.complete = false;
        capture.damage = file->damage_description();
    }
    const FlowTracker::Counters& counters = tracker.counters();
    capture.flows_evicted = counters.flows_evicted;
    capture.streams_cut_for_memory = counters.streams_cut_for_memory;
    capture.ip_datagrams_dropped = decoder.fragments().counters().datagrams_dropped;

    ReportInputs inputs;
    inputs.dns = &dns;
    inputs.targets = options.targets;
    inputs.checked_ports = options.checked_ports;
    inputs.attempt_ports = service_ports;
    for (const auto& flow : tracker.finished_flows()) {
        for (const FlowDirection& side : flow->directions) capture.reassembly_cap_evictions += side.reassembly.cap_evictions;
        FlowEvidence evidence{flow.get(), dissectors.find(flow->id), {}};
        if (evidence.connection && evidence.connection->carries_tls() && !evidence.connection->lost_interest())
            evidence.tls = summarize_tls(evidence.connection->tls().messages(), &trust, flow->first_time.seconds,
                                         intended_host(*flow, *evidence.connection, dns));
        inputs.flows.push_back(std::move(evidence));
    }
    inputs.capture = std::move(capture);
    outcome.report = build_report(std::move(inputs));
    outcome.usable = true;
    return outcome;
}

}  // namespace trustcap
