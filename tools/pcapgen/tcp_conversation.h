#pragma once

#include "addresses.h"
#include "byte_writer.h"
#include "deterministic_bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace pcapgen {

enum class Side { client, server };

inline Side opposite(Side side) { return side == Side::client ? Side::server : Side::client; }

struct TcpEndpoint {
    IpAddress address;
    std::uint16_t port = 0;
};

struct TcpSegment {
    Side sender = Side::client;
    std::uint32_t sequence_number = 0;
    std::uint32_t acknowledgment_number = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    Bytes options;
    Bytes payload;
};

struct TcpHostSettings {
    std::uint32_t initial_sequence_number = 0;
    std::uint16_t syn_window = 64240;
    std::uint16_t window = 502;  // after the handshake, in units of 2^window_scale_shift
    std::uint16_t maximum_segment_size = 1460;
    std::uint8_t window_scale_shift = 7;
};

// Both ends of one TCP connection: sequence and acknowledgment numbers, and the byte stream each side sends.
// Every segment acknowledges all that the other side has sent so far unless an explicit number is given;
// the caller decides which segments appear in the capture, and in what order.
class TcpConversation {
public:
    TcpConversation(TcpEndpoint client, TcpEndpoint server, TcpHostSettings client_settings,
                    TcpHostSettings server_settings, std::uint64_t payload_seed);

    [[nodiscard]] const TcpEndpoint& endpoint(Side side) const { return side_state(side).endpoint; }
    // Absolute sequence number of the sender's byte at `stream_offset` (0 is the first byte after the SYN).
    [[nodiscard]] std::uint32_t sequence_of(Side sender, std::size_t stream_offset) const;
    [[nodiscard]] std::size_t bytes_sent(Side sender) const { return side_state(sender).bytes_sent; }
    // The largest segment the sender may send: the MSS the other side announced.
    [[nodiscard]] std::uint16_t sendable_segment_size(Side sender) const
    {
        return side_state(opposite(sender)).settings.maximum_segment_size;
    }

    TcpSegment syn();
    TcpSegment syn_ack();
    // The RST-ACK a closed port answers a SYN with.
    TcpSegment rst_answering_syn();
    TcpSegment ack(Side sender);
    TcpSegment ack_up_to(Side sender, std::size_t other_stream_offset);
    // The sender's next `length` stream bytes.
    TcpSegment data(Side sender, std::size_t length, bool push = true);
    // The sender's next stream bytes are these, e.g. TLS records, instead of generated ones.
    TcpSegment data(Side sender, std::span<const std::uint8_t> bytes, bool push = true);
    // Stream bytes from `stream_offset`, which may lie before the end of what was sent (overlap, repacketized
    // retransmission); bytes not sent before become part of the stream.
    TcpSegment data_at(Side sender, std::size_t stream_offset, std::size_t length, bool push = true);
    TcpSegment fin(Side sender);
    TcpSegment rst(Side sender);

private:
    struct SideState {
        TcpEndpoint endpoint;
        TcpHostSettings settings;
        DeterministicBytes generator;
        Bytes stream;
        std::size_t bytes_sent = 0;
        bool syn_sent = false;
        bool fin_sent = false;
    };

    SideState& side_state(Side side) { return sides_[static_cast<std::size_t>(side)]; }
    [[nodiscard]] const SideState& side_state(Side side) const { return sides_[static_cast<std::size_t>(side)]; }
    [[nodiscard]] std::uint32_t next_sequence_number(Side sender) const;
    TcpSegment established_segment(Side sender, std::uint8_t flags) const;
    void extend_stream(Side sender, std::size_t length);

    std::array<SideState, 2> sides_;
};

}  // namespace pcapgen
