#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/tcp_flow.h"

namespace trustcap {

// Where a connection was closed or reset, and by whom.
struct Close {
    std::uint64_t frame = 0;
    Direction by = Direction::client_to_server;
    bool reset = false;
    Timestamp time;
    [[nodiscard]] std::string text() const;  // "the server reset the connection"
};

// When `frame` was captured, if the flow kept it as evidence.
std::optional<Timestamp> time_of(const TcpFlow& flow, std::uint64_t frame);

// The first FIN, or reset that ended the connection, from either side.
std::optional<Close> first_close(const TcpFlow& flow);

// The first FIN, or reset that ended the connection, `direction` sent at or after `frame`.
std::optional<Close> close_by(const TcpFlow& flow, Direction direction, std::uint64_t frame);

}  // namespace trustcap
