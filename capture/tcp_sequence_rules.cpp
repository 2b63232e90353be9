#include "capture/tcp_sequence_rules.h"

#include <algorithm>

namespace trustcap {
namespace {

bool has(std::uint8_t flags, std::uint8_t flag) { return (flags & flag) != 0; }

// True when sequence number `a` comes after `b` (modulo 2^32).
bool after(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) > 0; }

std::uint32_t later_of(std::uint32_t a, std::uint32_t b) { return after(a, b) ? a : b; }

}  // namespace

void advance_sequence(SequenceState& sender, const TcpHeader& tcp, std::uint32_t payload_length,
                      std::uint32_t scaled_window) {
    if (has(tcp.flags, tcp_flag::rst)) return;
    std::uint32_t end = tcp.seq + payload_length + (has(tcp.flags, tcp_flag::syn) ? 1u : 0u) +
                        (has(tcp.flags, tcp_flag::fin) ? 1u : 0u);
    sender.next_seq = sender.next_seq ? later_of(*sender.next_seq, end) : end;
    if (has(tcp.flags, tcp_flag::ack)) {
        sender.last_ack = sender.last_ack ? later_of(*sender.last_ack, tcp.ack) : tcp.ack;
        sender.window = scaled_window;
    }
}

bool reset_is_acceptable(const TcpHeader& reset, const SequenceState& sender, const SequenceState& receiver,
                         std::optional<std::uint32_t> receiver_syn_unanswered) {
    if (receiver_syn_unanswered)
        return has(reset.flags, tcp_flag::ack) && reset.ack == *receiver_syn_unanswered + 1;
    if (sender.next_seq && reset.seq == *sender.next_seq) return true;
    if (!receiver.last_ack) return true;
    // The receiver may have taken bytes it has not acknowledged yet: its
    // window starts at its last ACK and reaches a window past what was sent.
    std::uint32_t window = std::max<std::uint32_t>(receiver.window, 1);
    std::uint32_t window_start = *receiver.last_ack;
    std::uint32_t window_end = (sender.next_seq ? later_of(*sender.next_seq, window_start) : window_start) + window;
    return !after(window_start, reset.seq) && after(window_end, reset.seq);
}

bool is_keep_alive(const SequenceState& sender, const TcpHeader& tcp, std::uint32_t payload_length) {
    if (has(tcp.flags, tcp_flag::syn | tcp_flag::fin | tcp_flag::rst) || payload_length > 1) return false;
    return sender.next_seq && tcp.seq == *sender.next_seq - 1;
}

bool shows_sender_went_on(const TcpReset& reset, const TcpHeader& later, std::uint32_t payload_length) {
    if (has(later.flags, tcp_flag::rst)) return false;
    if (has(later.flags, tcp_flag::syn)) return true;
    if (has(later.flags, tcp_flag::fin) && !after(reset.seq, later.seq)) return true;
    if (payload_length > 0 && after(later.seq + payload_length, reset.seq)) return true;
    return reset.has_ack && has(later.flags, tcp_flag::ack) && after(later.ack, reset.ack);
}

}  // namespace trustcap
