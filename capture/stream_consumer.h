#pragma once

#include <cstddef>
#include <cstdint>

#include "capture/byte_reader.h"
#include "capture/timestamp.h"

namespace trustcap {

enum class Direction : std::uint8_t { client_to_server = 0, server_to_client = 1 };

inline constexpr int index_of(Direction direction) { return static_cast<int>(direction); }
inline constexpr Direction opposite(Direction direction) {
    return direction == Direction::client_to_server ? Direction::server_to_client : Direction::client_to_server;
}

enum class GapReason : std::uint8_t {
    not_captured,    // acknowledged by the peer, or followed by later bytes, but never in the capture
    cut_by_snaplen,  // the frame was captured only in part
    memory_cap,      // given up on to stay within the reassembly memory cap
};

// Receives one TCP connection's bytes in order, per direction. Offsets count
// from the first byte after the SYN (or the first byte seen, mid-stream).
// Every call names the frame that carried the bytes, so any byte range maps
// back to its frames.
class StreamConsumer {
public:
    virtual ~StreamConsumer() = default;

    // `bytes` starts at `stream_offset` and was carried by `frame`.
    virtual void on_data(Direction direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t frame,
                         const Timestamp& time) = 0;

    // `length` bytes starting at `stream_offset` will never arrive, for
    // `reason`. `frame` is the frame at which the gap became certain.
    virtual void on_gap(Direction direction, std::uint64_t stream_offset, std::uint64_t length, std::uint64_t frame,
                        GapReason reason) = 0;

    // True when a message ended in `frame` (asked right after its bytes were
    // delivered): the flow table keeps such frames as evidence.
    [[nodiscard]] virtual bool frame_is_evidence(std::uint64_t /*frame*/) const { return false; }

    // False once the consumer will read nothing more of the connection (it is
    // of no interest): the flow table then finishes the flow at once, as if
    // it had ended, so that it costs a table entry and nothing more.
    [[nodiscard]] virtual bool wants_more_bytes() const { return true; }

    // True once the consumer knows the connection is one it looks for: when
    // memory runs short, the flow table lets go of such flows last.
    [[nodiscard]] virtual bool is_of_interest() const { return false; }

    // What the consumer holds (itself, its buffers, what it kept), for the memory budget.
    [[nodiscard]] virtual std::size_t held_bytes() const { return 0; }
};

}  // namespace trustcap
