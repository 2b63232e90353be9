#include "analysis_session.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "capture/flow_tracker.h"
#include "capture/packet_decoder.h"
#include "capture/tcp_stream_numbering.h"
#include "dissect/certificate_verifier.h"
#include "dissect/connection_facts.h"
#include "dissect/dns_message.h"
#include "dissect/dns_transactions.h"
#include "dissect/tls_summary.h"
#include "flow_dissectors.h"
#include "report/flow_identity.h"
#include "report/flow_retention.h"
#include "report/licensing_interest.h"
#include "report/licensing_trust_anchors.h"
#include "report/report_builder.h"

namespace trustcap {
namespace {


constexpr std::size_t malformed_frames_listed = 10;
constexpr std::uint16_t dns_port = 53;

// The general store: the system's bundle and --ca-bundle. The licensing
// store: the CAs Cisco's licensing servers are signed by, and --ca-bundle
// (a lab, a test server, an inspection CA installed on the device on purpose).
bool load_trust(const AnalysisOptions& options, TrustStore& general, TrustStore& licensing, std::string& error) {
    std::string system_error;
    general.add_system_default(system_error);  // a machine without a CA bundle still works with --ca-bundle
    for (const LicensingTrustAnchor& anchor : licensing_trust_anchors()) {
        if (!licensing.add_pem_text(anchor.pem, std::string(anchor.name) + ", built in", error)) {
            error = "built-in " + std::string(anchor.name) + ": " + error;
            return false;
        }
    }
    for (const std::string& path : options.ca_bundles) {
        const std::optional<CaBundle> bundle = read_ca_bundle(path, error);  // once: it may be a pipe
        if (!bundle || !general.add_ca_bundle(*bundle, error) || !licensing.add_ca_bundle(*bundle, error)) {
            error = "--ca-bundle " + path + ": " + error;
            return false;
        }
    }
    return true;
}

void add_dns(const DecodedPacket& packet, DnsTransactionTable& dns) {
    std::string error;
    auto message = parse_dns_message(packet.payload, error);
    if (!message) {
        dns.note_unreadable(packet.payload, Endpoint{packet.source, packet.source_port},
                            Endpoint{packet.destination, packet.destination_port}, packet.frame, error);
        return;
    }
    dns.add(*message, Endpoint{packet.source, packet.source_port}, Endpoint{packet.destination, packet.destination_port},
            packet.frame, packet.time);
}


}  // namespace

struct AnalysisSession::State {
    explicit State(const AnalysisOptions& options)
        : options(options),
          followed(followed_ports(options.targets, options.checked_ports)),
          attempt_ports(licensing_ports(options.targets, options.checked_ports)),
          dissectors(
              [this](const TcpFlow& flow) {
                  return std::make_unique<ConnectionDissector>(
                      licensing_interest(flow, dns, this->options.targets, this->options.checked_ports),
                      &certificates, this->options.key_log);
              },
              dns),
          tracker([this](std::uint16_t port) { return followed.contains(port); },
                  [](const Endpoint&, const Endpoint&) { return true; },
                  [this](const TcpFlow& flow) { return dissectors.consumer_for(flow); }, limits_of(options)) {
        if (options.number_wireshark_streams) wireshark_streams.emplace();
        // A closed connection is finished (kept for the report, or let go) as
        // it would be live, so memory follows the connections still open;
        // an open one waits for the idle timeout or the end of the capture.
        FlowCompletionTimes reading_a_file;
        reading_a_file.after_silence_seconds = static_cast<double>(limits_of(options).idle_timeout_seconds);
        tracker.finish_flows_early(reading_a_file, [this](const TcpFlow& flow) { return retain(flow); });
    }

    static FlowTracker::Limits limits_of(const AnalysisOptions& options) {
        FlowTracker::Limits limits;
        limits.max_flows = options.max_flows;
        limits.max_memory_bytes = options.max_memory_bytes;
        return limits;
    }

    // The name the device meant to reach: the server's certificate must match it.
    std::string requested_name(const TcpFlow& flow, const ConnectionFacts& connection) const {
        return identify_flow(flow.server, names_of_connection(flow, &connection, dns), options.targets).requested_name;
    }

    [[nodiscard]] const ConnectionFacts* facts_of_finished(const TcpFlow& flow) const {
        auto found = finished_connections.find(flow.id);
        return found == finished_connections.end() ? nullptr : &found->second;
    }

    FlowEvidence evidence_of(const TcpFlow& flow) const {
        FlowEvidence evidence{&flow, facts_of_finished(flow), {}};
        if (evidence.connection && evidence.connection->carries_tls && !evidence.connection->lost_interest)
            evidence.tls = summarize_tls(evidence.connection->tls.messages, {&trust, &licensing_trust}, certificates,
                                         flow.first_time.seconds, requested_name(flow, *evidence.connection));
        return evidence;
    }

    JudgingContext make_judging_context() const {
        JudgingContext context;
        context.dns = &dns;
        context.targets = options.targets;
        context.checked_ports = options.checked_ports;
        context.attempt_ports = attempt_ports;
        context.capture_losses = &capture_losses;
        return context;
    }

    // Whether a finished flow's record is kept for the report (see
    // FlowRetention). Its dissectors are done: what they found is kept, as a
    // value, only with the record.
    bool retain(const TcpFlow& flow) {
        std::optional<ConnectionFacts> facts;
        if (std::unique_ptr<ConnectionDissector> dissector = dissectors.take(flow.id))
            facts = facts_of(std::move(*dissector));
        const ConnectionFacts* found = facts ? &*facts : nullptr;
        if (retention.decide(FlowEvidence{&flow, found, {}}, judging, held_bytes(flow, found)) ==
            FlowRetention::Decision::keep) {
            if (facts) finished_connections.emplace(flow.id, std::move(*facts));
            return true;
        }
        let_go(flow);
        return false;
    }

    // What keeping a finished flow for the report costs.
    static std::size_t held_bytes(const TcpFlow& flow, const ConnectionFacts* facts) {
        return flow.held_bytes() + (facts ? facts->held_bytes() : 0);
    }

    void let_go(const TcpFlow& flow) {
        for (const FlowDirection& side : flow.directions) forgotten_cap_evictions += side.reassembly.cap_evictions;
        finished_connections.erase(flow.id);
    }

    // Live capture: judges a flow as it finishes; keeps the flows that are reported.
    bool judge_finished(const TcpFlow& flow) {
        if (!retain(flow)) return false;
        std::optional<FlowReport> report = judge_finished_flow(evidence_of(flow), judging);
        // Once a flow is identified, the final report leaves unidentified attempts out.
        if (report && report->identified_by == NamingSource::attempt && identified_flow_judged) report.reset();
        if (!report) {
            const ConnectionFacts* facts = facts_of_finished(flow);
            retention.count_not_reported(FlowEvidence{&flow, facts, {}}, held_bytes(flow, facts));
            let_go(flow);
            return false;
        }
        identified_flow_judged |= report->kind != ServerKind::other;
        bool licensing = is_licensing_flow(*report, options.checked_ports);
        if (licensing) {
            ++progress.licensing_flows_judged;
            if (report->healthy) ++progress.licensing_flows_healthy;
        }
        flow_listener(*report, licensing);
        return true;
    }

    AnalysisOptions options;
    TrustStore trust;
    TrustStore licensing_trust;
    mutable CertificateCache certificates;  // reading a certificate is pure; the cache only saves repeating it
    std::set<std::uint16_t> followed;
    std::set<std::uint16_t> attempt_ports;
    DnsTransactionTable dns;
    FlowDissectors dissectors;  // of the connections still open
    std::unordered_map<std::uint64_t, ConnectionFacts> finished_connections;  // of the finished flows kept, by flow id
    FlowTracker tracker;
    PacketDecoder decoder;
    std::optional<TcpStreamNumbering> wireshark_streams;
    CaptureSummary counted;  // what the frames showed: times, cut and malformed frames
    std::vector<CaptureLoss> capture_losses;
    const JudgingContext judging = make_judging_context();  // after what it points to
    FlowRetention retention{options.max_flows, tracker.memory_budget()};
    std::uint64_t forgotten_cap_evictions = 0;
    bool identified_flow_judged = false;
    FlowListener flow_listener;
    Progress progress;
};

AnalysisSession::AnalysisSession(std::unique_ptr<State> state) : state_(std::move(state)) {}

AnalysisSession::~AnalysisSession() = default;

std::unique_ptr<AnalysisSession> AnalysisSession::create(const AnalysisOptions& options, std::string& error) {
    auto state = std::make_unique<State>(options);
    if (!load_trust(options, state->trust, state->licensing_trust, error)) return nullptr;
    return std::unique_ptr<AnalysisSession>(new AnalysisSession(std::move(state)));
}

void AnalysisSession::judge_flows_as_they_finish(FlowCompletionTimes times, FlowListener listener) {
    state_->flow_listener = std::move(listener);
    state_->tracker.finish_flows_early(times, [this](const TcpFlow& flow) { return state_->judge_finished(flow); });
}

void AnalysisSession::advance_clock(const Timestamp& now) { state_->tracker.advance_clock(now); }

void AnalysisSession::note_capture_loss(const CaptureLoss& loss) {
    std::vector<CaptureLoss>& losses = state_->capture_losses;
    // Drops read back to back are one episode: the list grows with episodes, not with time.
    if (!losses.empty() && losses.back().to >= loss.from) {
        losses.back().to = std::max(losses.back().to, loss.to);
        losses.back().packets += loss.packets;
        return;
    }
    losses.push_back(loss);
}

AnalysisSession::Progress AnalysisSession::progress() const {
    Progress progress = state_->progress;
    progress.frames = state_->counted.frames;
    progress.tcp_flows = state_->tracker.counters().tcp_flows;
    return progress;
}

void AnalysisSession::add(const RawFrame& frame) {
    CaptureSummary& counted = state_->counted;
    ++counted.frames;
    if (!counted.first_time) counted.first_time = frame.time;
    counted.last_time = frame.time;
    if (frame.cut_by_snaplen()) ++counted.truncated_packets;
    const std::uint64_t dropped_before = state_->decoder.fragments().counters().datagrams_dropped;
    DecodeResult decoded = state_->decoder.decode(frame);
    if (state_->wireshark_streams) {
        const bool dropped = state_->decoder.fragments().counters().datagrams_dropped != dropped_before;
        if (auto reason = hidden_tcp_reason(decoded, dropped)) state_->wireshark_streams->stop(frame.number, *reason);
    }
    if (decoded.status == DecodeStatus::malformed) {
        if (counted.malformed_packets++ == 0) counted.first_malformed_reason = decoded.reason;
        if (counted.first_malformed_frames.size() < malformed_frames_listed)
            counted.first_malformed_frames.push_back(frame.number);
    }
    if (decoded.status != DecodeStatus::decoded) return;
    DecodedPacket& packet = decoded.packet;
    if (packet.transport == Transport::tcp && state_->wireshark_streams)
        packet.wireshark_stream = state_->wireshark_streams->stream_of(packet);
    if (packet.transport == Transport::udp && (packet.source_port == dns_port || packet.destination_port == dns_port)) {
        add_dns(packet, state_->dns);
    } else {
        state_->tracker.add(packet);
    }
}

Report AnalysisSession::finish(CaptureSummary capture) {
    State& state = *state_;
    state.tracker.finish();
    capture.first_time = state.counted.first_time;
    capture.last_time = state.counted.last_time;
    capture.truncated_packets = state.counted.truncated_packets;
    capture.malformed_packets = state.counted.malformed_packets;
    capture.first_malformed_reason = state.counted.first_malformed_reason;
    capture.first_malformed_frames = state.counted.first_malformed_frames;
    const FlowTracker::Counters& counters = state.tracker.counters();
    capture.flows_evicted = counters.flows_evicted;
    capture.wireshark_streams_numbered = state.wireshark_streams.has_value();
    if (state.wireshark_streams && state.wireshark_streams->stopped_at_frame()) {
        capture.wireshark_streams_stopped_at_frame = state.wireshark_streams->stopped_at_frame();
        capture.wireshark_streams_stop_reason = state.wireshark_streams->stop_reason();
    }
    capture.streams_cut_for_memory = counters.streams_cut_for_memory;
    capture.ip_datagrams_dropped = state.decoder.fragments().counters().datagrams_dropped;
    capture.ip_fragments = state.decoder.fragments().counters();

    capture.flows_dropped = state.retention.dropped();
    const MemoryBudget& budget = state.tracker.memory_budget();
    capture.memory.limit_bytes = budget.limit();
    capture.memory.peak_bytes = budget.peak();
    capture.memory.first_reached_frame = budget.first_reached_frame();
    capture.memory.flows_evicted = counters.flows_evicted_for_memory;
    capture.memory.flows_dropped = state.retention.dropped_for_memory();

    ReportInputs inputs;
    inputs.context = state.judging;
    inputs.forgotten = state.retention.not_checked();
    inputs.summarised = state.retention.summarised();
    capture.reassembly_cap_evictions += state.forgotten_cap_evictions;
    for (const auto& flow : state.tracker.finished_flows()) {
        for (const FlowDirection& side : flow->directions) capture.reassembly_cap_evictions += side.reassembly.cap_evictions;
        inputs.flows.push_back(state.evidence_of(*flow));
    }
    inputs.capture = std::move(capture);
    return build_report(std::move(inputs));
}

}  // namespace trustcap
