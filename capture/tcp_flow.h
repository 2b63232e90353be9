#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "capture/ip_address.h"
#include "capture/stream_consumer.h"
#include "capture/tcp_stream_reassembler.h"
#include "capture/timestamp.h"

namespace trustcap {

namespace packet_note {
inline constexpr std::uint8_t retransmission = 0x01;
inline constexpr std::uint8_t out_of_order = 0x02;
inline constexpr std::uint8_t overlap = 0x04;
inline constexpr std::uint8_t zero_window = 0x08;
inline constexpr std::uint8_t cut_by_snaplen = 0x10;
inline constexpr std::uint8_t reassembled_ip = 0x20;
inline constexpr std::uint8_t keep_alive = 0x40;
}  // namespace packet_note

// A packet worth showing as evidence: SYN/FIN/RST, the handshake's and the
// teardown's ACKs, the first data of each side, anomalies, ICMP errors.
struct FlowPacket {
    std::uint64_t frame = 0;
    Timestamp time;
    Direction direction = Direction::client_to_server;
    bool is_icmp = false;
    std::uint8_t tcp_flags = 0;
    std::uint32_t relative_seq = 0;
    std::uint32_t relative_ack = 0;
    std::uint32_t window = 0;  // scaled when both SYNs agreed on window scaling, as Wireshark shows it
    std::uint32_t payload_length = 0;
    std::uint8_t ttl = 0;
    std::uint8_t notes = 0;
    // ICMP errors only: who sent it, type, code.
    IpAddress icmp_sender;
    bool icmp_v6 = false;
    std::uint8_t icmp_type = 0;
    std::uint8_t icmp_code = 0;
};

struct IcmpError {
    std::uint64_t frame = 0;
    IpAddress sender;
    bool v6 = false;
    std::uint8_t type = 0;
    std::uint8_t code = 0;
};

// A reset as the capture saw it, judged as its receiver would (RFC 9293
// 3.10.7.4, RFC 5961 3): in SYN-SENT it must acknowledge the SYN; later its
// sequence number must fall in the receiver's window. A reset that the
// connection outlives (its sender's side carries on) did not end it either.
struct TcpReset {
    std::uint64_t frame = 0;
    Timestamp time;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    bool has_ack = false;
    std::uint8_t ttl = 0;
    bool acceptable = true;  // false: outside the receiver's window, or not acknowledging the SYN
    bool to_syn_sent = false;  // judged as its receiver, the device, waited for a SYN-ACK
    bool outlived = false;   // its sender's side went on (SYN-ACK, data) afterwards
    std::optional<std::uint64_t> outlived_at;  // the frame showing it

    [[nodiscard]] bool ended_connection() const { return acceptable && !outlived; }
};

// What one side of a connection did.
struct FlowDirection {
    std::uint64_t packets = 0;
    std::uint64_t payload_bytes = 0;  // as on the wire
    std::optional<std::uint64_t> first_frame;
    std::optional<std::uint64_t> last_frame;
    std::vector<std::uint64_t> syn_frames;  // SYN or SYN-ACK, with retransmissions
    std::optional<std::uint32_t> initial_seq;  // from its SYN
    std::optional<std::uint8_t> window_scale;  // its SYN's window-scale option
    std::optional<std::uint64_t> first_data_frame;
    std::optional<std::uint64_t> last_data_frame;
    std::optional<std::uint64_t> fin_frame;
    std::optional<std::uint32_t> fin_seq;       // sequence number the FIN occupies
    std::optional<std::uint64_t> fin_acked_frame;  // the peer's ACK covering this FIN
    std::vector<TcpReset> resets;  // the first few
    std::uint64_t rst_packets = 0;
    std::optional<std::uint8_t> first_ttl;  // of its first packet that is not a reset
    bool ttl_varies = false;                // among its packets that are not resets
    std::uint64_t zero_window_packets = 0;
    std::uint64_t cut_packets = 0;
    std::vector<std::uint64_t> cut_frames;  // the first few
    std::vector<std::uint64_t> missing_data_frames;  // where bytes of this side were found never captured
    TcpStreamReassembler::Counters reassembly;

    // The first reset of this side that ended the connection.
    [[nodiscard]] const TcpReset* closing_reset() const {
        for (const TcpReset& reset : resets)
            if (reset.ended_connection()) return &reset;
        return nullptr;
    }
};

// Everything the report needs to know about one TCP connection. Holds no
// packet bytes.
struct TcpFlow {
    std::uint64_t id = 0;
    Endpoint client;
    Endpoint server;
    bool roles_from_syn = false;  // false: client and server were guessed (see FlowTracker)
    Timestamp first_time;
    Timestamp last_time;
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    std::optional<std::uint32_t> wireshark_stream;  // tcp.stream of the SYN (else of the first packet), when numbered
    std::array<FlowDirection, 2> directions;
    std::optional<std::uint64_t> handshake_ack_frame;
    std::vector<IcmpError> icmp_errors;
    std::vector<FlowPacket> timeline;
    std::uint64_t timeline_omitted = 0;
    bool ended_by_idle_timeout = false;
    Timestamp watched_until;  // when the flow was taken as finished: nothing of it was seen after
    bool evicted = false;  // dropped early because the flow table was full

    FlowDirection& side(Direction direction) { return directions[index_of(direction)]; }
    [[nodiscard]] const FlowDirection& side(Direction direction) const { return directions[index_of(direction)]; }

    // What the record holds, for the memory budget.
    [[nodiscard]] std::size_t held_bytes() const {
        std::size_t bytes = sizeof(TcpFlow) + icmp_errors.capacity() * sizeof(IcmpError) +
                            timeline.capacity() * sizeof(FlowPacket);
        for (const FlowDirection& direction : directions)
            bytes += (direction.syn_frames.capacity() + direction.cut_frames.capacity() +
                      direction.missing_data_frames.capacity()) * sizeof(std::uint64_t) +
                     direction.resets.capacity() * sizeof(TcpReset);
        return bytes;
    }
};

}  // namespace trustcap
