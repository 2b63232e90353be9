#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/packet.h"
#include "capture/packet_decoder.h"

namespace trustcap {

// Wireshark's tcp.stream: the index of a TCP conversation in the order
// Wireshark's TCP dissector starts them. A conversation starts at the first
// packet of an address and port pair, and again on that pair at a SYN
// without ACK whose sequence number is not the one the conversation began
// that direction with (the ports were reused). The first acknowledgement
// seen of a direction also sets where it began (the acknowledged number minus
// one), so a SYN captured after its SYN-ACK joins that conversation, and a SYN
// after a conversation seen mid-stream starts a new one.
//
// Conversations are remembered by a 64-bit hash, seeded per run, of their
// addresses and ports (a collision in a capture of a million connections has
// a chance of about one in 30 million); the table takes 24 bytes a slot, at
// most 6 MiB. Numbering stops past `max_conversations`, or at a frame in
// which Wireshark may find a TCP packet that trustcap did not decode
// (stop()): from then on a conversation that starts has no known stream, as
// the count before it may no longer be Wireshark's; those numbered before
// keep theirs.
class TcpStreamNumbering {
public:
    static constexpr std::size_t default_max_conversations = std::size_t{1} << 17;

    explicit TcpStreamNumbering(std::size_t max_conversations = default_max_conversations);

    // The stream of a decoded TCP packet; packets must come in frame order.
    std::optional<std::uint32_t> stream_of(const DecodedPacket& packet);

    // No conversation that starts from `frame` on is numbered, for `reason`.
    void stop(std::uint64_t frame, const std::string& reason);

    // The frame from which conversations are no longer numbered, and why.
    [[nodiscard]] std::optional<std::uint64_t> stopped_at_frame() const { return stopped_at_frame_; }
    [[nodiscard]] const std::string& stop_reason() const { return stop_reason_; }
    [[nodiscard]] std::uint64_t conversations() const { return next_stream_; }

private:
    struct Conversation {
        std::uint64_t key = 0;  // 0: an empty slot
        std::uint32_t stream = 0;
        std::array<std::uint32_t, 2> base_seq{};  // where each direction began
        std::array<bool, 2> base_known{};
        bool numbered = true;  // false: restarted after the table was full
    };

    [[nodiscard]] bool numbering() const { return !stopped_at_frame_; }
    Conversation* find_or_insert(std::uint64_t key, std::uint64_t frame, bool& inserted);
    std::optional<std::uint32_t> next_stream(std::uint64_t frame);
    void grow();

    std::size_t max_conversations_;
    std::uint64_t seed_;
    std::vector<Conversation> slots_;
    std::size_t used_ = 0;
    std::uint32_t next_stream_ = 0;
    std::optional<std::uint64_t> stopped_at_frame_;
    std::string stop_reason_;
};

// Why Wireshark may find a TCP packet in a frame that trustcap did not decode
// to one: the frame is malformed to trustcap, carries IP in IP, or UDP to a
// tunnel port Wireshark decodes by default (VXLAN, Geneve, Teredo, L2TP,
// GTP-U, CAPWAP data), or an IP datagram was dropped by a reassembly limit
// (`datagram_dropped`). Nullopt for a frame that cannot hide one. Other
// encapsulations trustcap does not decode (PPPoE, for one) are not told.
std::optional<std::string> hidden_tcp_reason(const DecodeResult& decoded, bool datagram_dropped);

}  // namespace trustcap
