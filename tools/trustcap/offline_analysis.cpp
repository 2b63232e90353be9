#include "offline_analysis.h"

#include "capture/capture_file.h"
#include "capture/flow_tracker.h"
#include "capture/link_type.h"
#include "capture/packet_decoder.h"
#include "report/report_builder.h"

namespace trustcap {
namespace {

constexpr std::size_t malformed_frames_listed = 10;

std::string unsupported_link_type_error(int dlt) {
    return "unsupported link type " + link_type_name(dlt) + " (DLT " + std::to_string(dlt) +
           "); trustcap reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback captures";
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

    auto is_service_port = [&](std::uint16_t port) { return options.ports.contains(port); };
    FlowTracker::Limits limits;
    limits.max_flows = options.max_flows;
    FlowTracker tracker(
        is_service_port, [&](const Endpoint&, const Endpoint& server) { return is_service_port(server.port); },
        nullptr, limits);
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
        if (decoded.status == DecodeStatus::decoded) tracker.add(decoded.packet);
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
    for (const auto& flow : tracker.finished_flows())
        for (const FlowDirection& side : flow->directions) capture.reassembly_cap_evictions += side.reassembly.cap_evictions;
    capture.ip_datagrams_dropped = decoder.fragments().counters().datagrams_dropped;
    std::uint64_t checked = counters.checked_flows;
    outcome.report = build_report(std::move(capture), tracker.finished_flows(), counters.tcp_flows - checked);
    outcome.usable = true;
    return outcome;
}

}  // namespace trustcap
