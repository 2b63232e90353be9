#include "report/wireshark_filters.h"

#include "report/wording.h"

namespace trustcap {

std::string stream_filter(const FlowReport& flow) {
    return flow.wireshark_stream ? "tcp.stream eq " + std::to_string(*flow.wireshark_stream) : std::string();
}

std::string conversation_filter(const Endpoint& one, const Endpoint& other) {
    const char* address_field = one.ip.is_v4() && other.ip.is_v4() ? "ip.addr" : "ipv6.addr";
    return std::string(address_field) + " eq " + one.ip.to_string() + " and " + address_field + " eq " +
           other.ip.to_string() + " and tcp.port eq " + std::to_string(one.port) + " and tcp.port eq " +
           std::to_string(other.port);
}

std::optional<std::string> unnumbered_streams_note(const Report& report) {
    const CaptureSummary& capture = report.capture;
    if (!capture.wireshark_streams_numbered || !capture.wireshark_streams_stopped_at_frame) return std::nullopt;
    std::vector<std::string> unnumbered;
    for (const FlowReport& flow : report.flows)
        if (!flow.wireshark_stream) unnumbered.push_back(std::to_string(flow.id));
    if (unnumbered.empty()) return std::nullopt;
    std::string flows = unnumbered.front();
    for (std::size_t i = 1; i < unnumbered.size(); ++i)
        flows += (i + 1 == unnumbered.size() ? " and " : ", ") + unnumbered[i];
    return "Wireshark stream numbers are not given from frame " + std::to_string(*capture.wireshark_streams_stopped_at_frame) +
           " on (" + capture.wireshark_streams_stop_reason + "): " + (unnumbered.size() == 1 ? "flow " : "flows ") +
           flows + (unnumbered.size() == 1 ? " names its" : " name their") + " conversation filter instead.";
}

std::string frames_filter(const std::vector<std::uint64_t>& frames) {
    return frames.empty() ? std::string() : "frame.number in {" + frame_numbers(frames) + "}";
}

}  // namespace trustcap
