#include "report/connection_closes.h"

#include "report/tcp_resets.h"

namespace trustcap {

std::string Close::text() const {
    return std::string("the ") + side_name(by) + (reset ? " reset the connection" : " closed the connection");
}

std::optional<Timestamp> time_of(const TcpFlow& flow, std::uint64_t frame) {
    for (const FlowPacket& packet : flow.timeline)
        if (packet.frame == frame) return packet.time;
    return std::nullopt;
}

std::optional<Close> first_close(const TcpFlow& flow) {
    std::optional<Close> first;
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client}) {
        std::optional<Close> close = close_by(flow, direction, 0);
        if (close && (!first || close->frame < first->frame)) first = close;
    }
    return first;
}

std::optional<Close> close_by(const TcpFlow& flow, Direction direction, std::uint64_t frame) {
    const FlowDirection& side = flow.side(direction);
    std::optional<Close> close;
    for (const TcpReset& reset : side.resets) {
        if (reset.ended_connection() && reset.frame >= frame) {
            close = Close{reset.frame, direction, true, reset.time};
            break;
        }
    }
    if (side.fin_frame && *side.fin_frame >= frame && (!close || *side.fin_frame < close->frame))
        close = Close{*side.fin_frame, direction, false, time_of(flow, *side.fin_frame).value_or(flow.last_time)};
    return close;
}

}  // namespace trustcap
