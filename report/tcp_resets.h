#pragma once

#include <optional>
#include <string>

#include "capture/tcp_flow.h"
#include "report/finding.h"

namespace trustcap {

const char* side_name(Direction direction);  // "device" or "server"

struct ClosingReset {
    const TcpReset* reset = nullptr;
    Direction sender = Direction::client_to_server;
};

// The first reset, from either side, that ended the connection.
std::optional<ClosingReset> first_closing_reset(const TcpFlow& flow);

// A reset whose IP TTL (hop limit) differs from its side's other packets was
// not sent by that host: a firewall or IPS in the path forged it.
std::optional<Finding> forged_reset_finding(const TcpFlow& flow, const ClosingReset& closing, Severity severity);

// The resets the connection did not end with: out of the receiver's window,
// not acknowledging the SYN, or outlived. Judged as the endpoints did: the
// connection went on.
std::optional<Finding> ignored_resets_finding(const TcpFlow& flow);

}  // namespace trustcap
