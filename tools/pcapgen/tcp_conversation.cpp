#include "tcp_conversation.h"

#include "transport_layer_builder.h"

#include <algorithm>
#include <stdexcept>

namespace pcapgen {

TcpConversation::TcpConversation(TcpEndpoint client, TcpEndpoint server, TcpHostSettings client_settings,
                                 TcpHostSettings server_settings, std::uint64_t payload_seed)
    : sides_{SideState{std::move(client), client_settings, DeterministicBytes(payload_seed), {}},
             SideState{std::move(server), server_settings, DeterministicBytes(~payload_seed), {}}}
{
}

std::uint32_t TcpConversation::sequence_of(Side sender, std::size_t stream_offset) const
{
    return side_state(sender).settings.initial_sequence_number + 1 + static_cast<std::uint32_t>(stream_offset);
}

std::uint32_t TcpConversation::next_sequence_number(Side sender) const
{
    const SideState& state = side_state(sender);
    if (!state.syn_sent) {
        return state.settings.initial_sequence_number;
    }
    return sequence_of(sender, state.bytes_sent) + (state.fin_sent ? 1 : 0);
}

TcpSegment TcpConversation::syn()
{
    SideState& client = side_state(Side::client);
    client.syn_sent = true;
    return TcpSegment{Side::client,
                      client.settings.initial_sequence_number,
                      0,
                      tcp_flag::syn,
                      client.settings.syn_window,
                      tcp_syn_options(client.settings.maximum_segment_size, client.settings.window_scale_shift),
                      {}};
}

TcpSegment TcpConversation::syn_ack()
{
    SideState& server = side_state(Side::server);
    server.syn_sent = true;
    return TcpSegment{Side::server,
                      server.settings.initial_sequence_number,
                      next_sequence_number(Side::client),
                      tcp_flag::syn | tcp_flag::ack,
                      server.settings.syn_window,
                      tcp_syn_options(server.settings.maximum_segment_size, server.settings.window_scale_shift),
                      {}};
}

TcpSegment TcpConversation::rst_answering_syn()
{
    return TcpSegment{Side::server, 0, next_sequence_number(Side::client), tcp_flag::rst | tcp_flag::ack, 0, {}, {}};
}

TcpSegment TcpConversation::established_segment(Side sender, std::uint8_t flags) const
{
    return TcpSegment{sender,
                      next_sequence_number(sender),
                      next_sequence_number(opposite(sender)),
                      static_cast<std::uint8_t>(flags | tcp_flag::ack),
                      side_state(sender).settings.window,
                      {},
                      {}};
}

TcpSegment TcpConversation::ack(Side sender)
{
    return established_segment(sender, tcp_flag::ack);
}

TcpSegment TcpConversation::ack_up_to(Side sender, std::size_t other_stream_offset)
{
    TcpSegment segment = established_segment(sender, tcp_flag::ack);
    segment.acknowledgment_number = sequence_of(opposite(sender), other_stream_offset);
    return segment;
}

void TcpConversation::extend_stream(Side sender, std::size_t length)
{
    SideState& state = side_state(sender);
    if (state.stream.size() < length) {
        const Bytes more = state.generator.next(length - state.stream.size());
        state.stream.insert(state.stream.end(), more.begin(), more.end());
    }
}

TcpSegment TcpConversation::data(Side sender, std::size_t length, bool push)
{
    return data_at(sender, side_state(sender).bytes_sent, length, push);
}

TcpSegment TcpConversation::data(Side sender, std::span<const std::uint8_t> bytes, bool push)
{
    SideState& state = side_state(sender);
    state.stream.resize(state.bytes_sent);
    state.stream.insert(state.stream.end(), bytes.begin(), bytes.end());
    return data_at(sender, state.bytes_sent, bytes.size(), push);
}

TcpSegment TcpConversation::data_at(Side sender, std::size_t stream_offset, std::size_t length, bool push)
{
    SideState& state = side_state(sender);
    if (state.fin_sent) {
        throw std::logic_error("data after FIN");
    }
    extend_stream(sender, stream_offset + length);
    TcpSegment segment = established_segment(sender, push ? tcp_flag::psh : 0);
    segment.sequence_number = sequence_of(sender, stream_offset);
    segment.payload.assign(state.stream.begin() + static_cast<std::ptrdiff_t>(stream_offset),
                           state.stream.begin() + static_cast<std::ptrdiff_t>(stream_offset + length));
    state.bytes_sent = std::max(state.bytes_sent, stream_offset + length);
    return segment;
}

TcpSegment TcpConversation::fin(Side sender)
{
    TcpSegment segment = established_segment(sender, tcp_flag::fin);
    side_state(sender).fin_sent = true;
    return segment;
}

TcpSegment TcpConversation::rst(Side sender)
{
    TcpSegment segment = established_segment(sender, tcp_flag::rst);
    segment.window = 0;
    return segment;
}

}  // namespace pcapgen
