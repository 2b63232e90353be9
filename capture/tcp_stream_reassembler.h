#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "capture/byte_reader.h"
#include "capture/stream_consumer.h"
#include "capture/timestamp.h"

namespace trustcap {

// How one segment related to the bytes already seen in its direction.
enum class SegmentKind : std::uint8_t {
    in_order,        // starts exactly where the delivered stream ends (or is empty)
    retransmission,  // all of its bytes were seen before
    overlap,         // part seen before, part new
    out_of_order,    // starts beyond the next expected byte: held until the hole fills
};

// Orders the bytes of one direction of a TCP connection and hands them to a
// StreamConsumer. Sequence numbers are unwrapped to 64-bit stream offsets, so
// wraparound and streams longer than 4 GiB are handled. When two copies of a
// byte differ, the first one captured wins and the difference is counted as an
// inconsistent retransmission (as Zeek and Wireshark do by default).
class TcpStreamReassembler {
public:
    struct Limits {
        std::size_t max_buffered_bytes = 1 << 20;    // out-of-order bytes held for this direction
        std::size_t retained_tail_bytes = 4 * 1024;  // delivered bytes kept to compare retransmissions
    };

    struct Counters {
        std::uint64_t delivered_bytes = 0;
        std::uint64_t retransmissions = 0;
        std::uint64_t inconsistent_retransmissions = 0;  // a retransmitted byte differed from the first copy
        std::uint64_t first_inconsistent_frame = 0;      // the first such retransmission; 0 for none
        std::uint64_t overlaps = 0;
        std::uint64_t out_of_order = 0;
        std::uint64_t gaps = 0;
        std::uint64_t gap_bytes = 0;
        std::uint64_t cap_evictions = 0;  // gaps forced by max_buffered_bytes
        std::uint64_t bogus_segments = 0;  // ignored: more than 1 GiB ahead of the next expected byte
        std::uint64_t bogus_acks = 0;      // ignored: more than 1 GiB ahead of the next expected byte
    };

    // Two constructors rather than `Limits limits = {}`: g++ 12 rejects a default
    // argument built from a nested struct's default member initializers inside its class.
    TcpStreamReassembler(Direction direction, StreamConsumer& consumer);
    TcpStreamReassembler(Direction direction, StreamConsumer& consumer, Limits limits);

    // The sequence number of the first data byte (the SYN's sequence number + 1).
    // Without it, the first segment seen sets the origin.
    void set_initial_sequence(std::uint32_t first_data_seq);

    // A segment of this direction. `wire_length` is the payload length on the
    // wire; when the snap length cut the frame, payload.size() < wire_length and
    // the missing tail becomes a gap.
    SegmentKind add_segment(std::uint32_t seq, Bytes payload, std::uint32_t wire_length, std::uint64_t frame,
                            const Timestamp& time);

    // The peer acknowledged everything before `ack`: bytes up to it that were
    // never captured become a gap, and held bytes after it are delivered.
    void acknowledge(std::uint32_t ack, std::uint64_t frame);

    // End of the connection (or of the capture): delivers every held byte,
    // with gaps for the holes between them.
    void flush(std::uint64_t frame);

    [[nodiscard]] const Counters& counters() const { return counters_; }
    [[nodiscard]] std::uint64_t next_offset() const { return next_offset_; }
    [[nodiscard]] std::size_t buffered_bytes() const { return buffered_bytes_; }
    // Itself, its held segments and its retained tail, for the memory budget.
    [[nodiscard]] std::size_t held_bytes() const {
        constexpr std::size_t map_node_overhead = 4 * sizeof(void*);
        return sizeof(*this) + buffered_bytes_ + held_.size() * (sizeof(HeldSegment) + map_node_overhead) +
               uncaptured_.size() * (2 * sizeof(std::uint64_t) + map_node_overhead) + tail_.capacity();
    }

private:
    struct HeldSegment {
        std::vector<std::uint8_t> bytes;
        std::uint64_t frame = 0;
        Timestamp time;
    };

    // Sequence numbers further ahead than this are taken as bogus, not as data to wait for.
    static constexpr std::int32_t max_plausible_distance = std::int32_t{1} << 30;
    // Beyond this many remembered snap-length holes, new ones are left to acknowledge()/flush().
    static constexpr std::size_t max_uncaptured_ranges = 1024;

    [[nodiscard]] bool matches_retained_tail(std::uint64_t offset, Bytes bytes) const;
    void retain(Bytes delivered);
    void deliver(Bytes bytes, std::uint64_t frame, const Timestamp& time);
    void declare_gap(std::uint64_t length, std::uint64_t frame, GapReason reason);
    void deliver_contiguous(std::uint64_t frame);
    void place_new_bytes(std::uint64_t offset, Bytes bytes, std::uint64_t frame, const Timestamp& time);
    void forget_uncaptured(std::uint64_t from, std::uint64_t to);
    void remember_uncaptured(std::uint64_t from, std::uint64_t to);

    Direction direction_;
    StreamConsumer& consumer_;
    Limits limits_;
    Counters counters_;
    bool origin_known_ = false;
    std::uint32_t next_seq_ = 0;      // 32-bit sequence number of next_offset_
    std::uint64_t next_offset_ = 0;   // first byte not yet delivered (or declared a gap)
    // Out-of-order bytes by stream offset: disjoint, all above next_offset_.
    std::map<std::uint64_t, HeldSegment> held_;
    std::size_t buffered_bytes_ = 0;
    // Ranges [first, second) sent but cut by the snap length: a gap when reached, unless a copy arrives first.
    std::map<std::uint64_t, std::uint64_t> uncaptured_;
    // Ring buffer of the last delivered bytes: the byte at offset o sits at o %
    // retained_tail_bytes; shorter while the stream is.
    std::vector<std::uint8_t> tail_;
    std::size_t tail_size_ = 0;  // valid bytes, ending at next_offset_
};

}  // namespace trustcap
