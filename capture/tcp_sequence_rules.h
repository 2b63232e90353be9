#pragma once

#include <cstdint>
#include <optional>

#include "capture/packet.h"
#include "capture/tcp_flow.h"

namespace trustcap {

// Where one side's sequence space stands, as far as the capture shows it:
// enough to judge a reset as its receiver would.
struct SequenceState {
    std::optional<std::uint32_t> next_seq;  // after the highest byte, SYN or FIN sent
    std::optional<std::uint32_t> last_ack;  // the highest acknowledgement sent
    std::uint32_t window = 0;               // the last window offered, scaled
};

// Moves a side's state past a packet it sent.
void advance_sequence(SequenceState& sender, const TcpHeader& tcp, std::uint32_t payload_length,
                      std::uint32_t scaled_window);

// Whether the receiver of a reset accepts it (RFC 9293 3.10.7.4): a receiver
// still in SYN-SENT (`receiver_syn_unanswered`, its initial sequence number
// given) only when it acknowledges the SYN; otherwise when its sequence
// number falls in the receiver's window, or is the sender's next sequence
// number. RFC 5961 stacks reset only on the exact next sequence number and
// answer the rest of the window with a challenge ACK; a capture point cannot
// know the receiver's exact RCV.NXT, so the whole window counts here. What
// the capture does not show is taken as accepted.
bool reset_is_acceptable(const TcpHeader& reset, const SequenceState& sender, const SequenceState& receiver,
                         std::optional<std::uint32_t> receiver_syn_unanswered);

// A keep-alive (RFC 9293 3.8.4), as Wireshark marks it: no SYN, FIN or RST,
// at most one byte (often garbage), one below the sender's next sequence
// number. Its byte is no retransmission of the stream's data.
bool is_keep_alive(const SequenceState& sender, const TcpHeader& tcp, std::uint32_t payload_length);

// Whether a later packet from the reset's sender shows that side carried on:
// a SYN or SYN-ACK, data beyond the reset's sequence number, or an
// acknowledgement beyond the reset's, or a FIN at or beyond its sequence number.
bool shows_sender_went_on(const TcpReset& reset, const TcpHeader& later, std::uint32_t payload_length);

}  // namespace trustcap
