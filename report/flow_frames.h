#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "capture/ip_address.h"
#include "capture/packet_decoder.h"
#include "report/report.h"

namespace trustcap {

// Which frames of the capture belong to reported flows, for writing them
// out again: a flow's TCP packets (its two endpoints, from its first frame to
// its last, whichever way they go), the fragments of its IP datagrams (TCP
// between its two addresses in that span: a fragment names no ports), and the
// evidence frames of its timeline, such as an ICMP error that quotes it.
class FlowFrames {
public:
    void add_flow(const FlowReport& flow);
    // Frames selected as they are (the evidence of capture-wide findings).
    void add_frames(const std::vector<std::uint64_t>& frames);

    [[nodiscard]] bool selects(std::uint64_t frame, const DecodeResult& decoded) const;

private:
    using EndpointPair = std::pair<Endpoint, Endpoint>;  // the lower endpoint first
    static EndpointPair pair_of(const Endpoint& one, const Endpoint& other);

    std::map<EndpointPair, std::vector<std::pair<std::uint64_t, std::uint64_t>>> frame_ranges_;
    std::set<std::uint64_t> frames_;
};

}  // namespace trustcap
