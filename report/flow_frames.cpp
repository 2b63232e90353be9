#include "report/flow_frames.h"

#include <algorithm>

namespace trustcap {
namespace {

// A fragment's protocol, or the IPv6 extension header its fragmentable part starts with.
bool may_carry_tcp(std::uint8_t protocol) {
    constexpr std::uint8_t tcp = 6, hop_by_hop = 0, routing = 43, destination_options = 60, authentication = 51;
    return protocol == tcp || protocol == hop_by_hop || protocol == routing || protocol == destination_options ||
           protocol == authentication;
}

}  // namespace

FlowFrames::EndpointPair FlowFrames::pair_of(const Endpoint& one, const Endpoint& other) {
    return one <= other ? EndpointPair{one, other} : EndpointPair{other, one};
}

void FlowFrames::add_flow(const FlowReport& flow) {
    frame_ranges_[pair_of(flow.client, flow.server)].emplace_back(flow.first_frame, flow.last_frame);
    for (const TimelineRow& row : flow.timeline) frames_.insert(row.frame);
}

void FlowFrames::add_frames(const std::vector<std::uint64_t>& frames) { frames_.insert(frames.begin(), frames.end()); }

bool FlowFrames::selects(std::uint64_t frame, const DecodeResult& decoded) const {
    if (frames_.contains(frame)) return true;
    const DecodedPacket& packet = decoded.packet;
    const auto in_range = [frame](const auto& range) { return range.first <= frame && frame <= range.second; };
    if (decoded.status == DecodeStatus::fragment_pending && may_carry_tcp(packet.ip_protocol)) {
        const EndpointPair addresses = pair_of(Endpoint{packet.source, 0}, Endpoint{packet.destination, 0});
        for (const auto& [pair, ranges] : frame_ranges_)
            if (pair_of(Endpoint{pair.first.ip, 0}, Endpoint{pair.second.ip, 0}) == addresses &&
                std::ranges::any_of(ranges, in_range))
                return true;
        return false;
    }
    if (decoded.status != DecodeStatus::decoded || packet.transport != Transport::tcp) return false;
    auto ranges = frame_ranges_.find(pair_of(Endpoint{packet.source, packet.source_port},
                                             Endpoint{packet.destination, packet.destination_port}));
    return ranges != frame_ranges_.end() && std::ranges::any_of(ranges->second, in_range);
}

}  // namespace trustcap
