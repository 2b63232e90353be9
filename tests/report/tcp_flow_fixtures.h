#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "capture/tcp_flow.h"
#include "report/finding.h"

namespace trustcap::testing {

using Frames = std::vector<std::uint64_t>;

inline TcpFlow base_flow() {
    TcpFlow flow;
    flow.id = 1;
    flow.client = Endpoint{*IpAddress::parse("10.20.30.40"), 51512};
    flow.server = Endpoint{*IpAddress::parse("146.112.59.25"), 443};
    flow.roles_from_syn = true;
    flow.first_frame = 1;
    flow.first_time = Timestamp{100, 0};
    flow.watched_until = Timestamp{200, 0};
    return flow;
}

inline FlowDirection& client(TcpFlow& flow) { return flow.side(Direction::client_to_server); }
inline FlowDirection& server(TcpFlow& flow) { return flow.side(Direction::server_to_client); }

inline void established(TcpFlow& flow) {
    client(flow).syn_frames = {1};
    client(flow).packets = 3;
    client(flow).first_ttl = 64;
    server(flow).syn_frames = {2};
    server(flow).packets = 2;
    server(flow).first_ttl = 52;
    flow.handshake_ack_frame = 3;
    flow.last_frame = 5;
}

inline TcpReset reset_at(std::uint64_t frame, std::uint8_t ttl = 52) {
    TcpReset reset;
    reset.frame = frame;
    reset.ttl = ttl;
    return reset;
}

inline std::vector<std::string> ids(const std::vector<Finding>& findings) {
    std::vector<std::string> result;
    for (const Finding& finding : findings) result.push_back(finding.id);
    return result;
}

// The one finding with `id`; a test asking for a missing one fails (throws).
inline const Finding& only(const std::vector<Finding>& findings, const std::string& id) {
    auto found = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
    if (found == findings.end()) throw std::runtime_error("no finding " + id);
    if (std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; }) != 1)
        throw std::runtime_error("more than one finding " + id);
    return *found;
}

}  // namespace trustcap::testing
