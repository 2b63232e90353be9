#include "tls_exchanges.h"

#include "standard_exchanges.h"

#include <algorithm>
#include <stdexcept>

namespace pcapgen {

namespace {

constexpr int handshake_turn_limit = 12;

std::chrono::nanoseconds flight_gap(Side sender)
{
    return sender == Side::client ? tls_gap::device_crypto : tls_gap::server_answer;
}

// The side finished with the handshake, one way or the other.
bool settled(const InMemoryTls& tls, Side side) { return tls.failed(side) || tls.handshake_complete(side); }

}  // namespace

std::size_t record_stream_bytes(FlowRecorder& recorder, Side sender, std::span<const std::uint8_t> bytes,
                                std::chrono::nanoseconds gap)
{
    TcpConversation& conversation = recorder.conversation();
    const std::size_t segment_size = conversation.sendable_segment_size(sender);
    std::size_t segments = 0;
    for (std::size_t offset = 0; offset < bytes.size(); offset += segment_size, ++segments) {
        const std::size_t length = std::min(segment_size, bytes.size() - offset);
        const bool last = offset + length == bytes.size();
        recorder.record(conversation.data(sender, bytes.subspan(offset, length), last),
                        segments == 0 ? gap : gap::back_to_back);
    }
    return segments;
}

void record_tls_handshake(FlowRecorder& recorder, InMemoryTls& tls, std::chrono::nanoseconds gap_before_first,
                          Side first_to_act)
{
    Side actor = first_to_act;
    std::chrono::nanoseconds gap = gap_before_first;
    for (int turn = 0; turn < handshake_turn_limit; ++turn, actor = opposite(actor)) {
        const bool peer_had_failed = tls.failed(opposite(actor));
        const Bytes flight = tls.advance(actor);
        if (!flight.empty()) {
            if (record_stream_bytes(recorder, actor, flight, gap) > 1 && !tls.failed(actor)) {
                recorder.record(recorder.conversation().ack(opposite(actor)), gap::local_reaction);
            }
            gap = flight_gap(opposite(actor));
        }
        if (peer_had_failed || (settled(tls, Side::client) && settled(tls, Side::server) && !tls.failed(actor))) {
            return;
        }
    }
    throw std::logic_error("the in-memory TLS handshake does not progress");
}

void record_application_data(FlowRecorder& recorder, InMemoryTls& tls, Side sender, std::string_view plaintext,
                             std::chrono::nanoseconds gap)
{
    record_stream_bytes(recorder, sender, tls.write(sender, plaintext), gap);
    if (!tls.advance(opposite(sender)).empty() || tls.take_received(opposite(sender)) != plaintext) {
        throw std::logic_error("application data did not arrive as written");
    }
}

void record_close_notify(FlowRecorder& recorder, InMemoryTls& tls, Side sender, std::chrono::nanoseconds gap)
{
    record_stream_bytes(recorder, sender, tls.close(sender), gap);
    if (!tls.advance(opposite(sender)).empty() || !tls.peer_closed(opposite(sender))) {
        throw std::logic_error("close_notify was not read as such");
    }
}

}  // namespace pcapgen
