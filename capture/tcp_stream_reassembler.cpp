#include "capture/tcp_stream_reassembler.h"

#include <algorithm>
#include <cstring>
#include <iterator>

// Policies:
// - Offsets: a sequence number is placed at next_offset_ + (its signed 32-bit distance
//   from next_seq_), so wraparound and streams beyond 4 GiB need no special case.
//   Without set_initial_sequence() the first segment carrying payload sets the origin;
//   bytes sent before it (negative offsets) count as already seen.
// - First copy wins: bytes already delivered or held are never replaced; a later copy
//   is only compared (against held bytes, or the retained tail of delivered bytes).
// - Snap-length cuts: the uncaptured tail is remembered and becomes a gap when the
//   stream reaches it, unless a captured copy of those bytes arrives first.
// - Memory cap: when new out-of-order bytes would not fit, the lowest hole (below both
//   the held bytes and the new bytes) is given up as a gap, one cap eviction each,
//   and whatever became contiguous is delivered; repeated until the new bytes fit or
//   are themselves contiguous (then delivered without buffering). New data is never dropped.
// - Bogus numbers: a segment or an ack more than 1 GiB ahead is ignored and counted.

namespace trustcap {

namespace {

// Lets offsets below the stream origin (a mid-stream start) compare as "already seen".
std::int64_t as_signed(std::uint64_t offset) { return static_cast<std::int64_t>(offset); }

}  // namespace

TcpStreamReassembler::TcpStreamReassembler(Direction direction, StreamConsumer& consumer)
    : TcpStreamReassembler(direction, consumer, Limits{}) {}

TcpStreamReassembler::TcpStreamReassembler(Direction direction, StreamConsumer& consumer, Limits limits)
    : direction_(direction), consumer_(consumer), limits_(limits) {}

void TcpStreamReassembler::set_initial_sequence(std::uint32_t first_data_seq) {
    bool stream_started = next_offset_ != 0 || !held_.empty() || !uncaptured_.empty();
    if (origin_known_ && stream_started) return;
    origin_known_ = true;
    next_seq_ = first_data_seq;
}

SegmentKind TcpStreamReassembler::add_segment(std::uint32_t seq, Bytes payload, std::uint32_t wire_length,
                                              std::uint64_t frame, const Timestamp& time) {
    const std::uint64_t sent_length = std::max<std::uint64_t>(wire_length, payload.size());
    if (sent_length == 0) return SegmentKind::in_order;
    if (!origin_known_) {
        origin_known_ = true;
        next_seq_ = seq;
    }
    const auto distance = static_cast<std::int32_t>(seq - next_seq_);
    if (distance > max_plausible_distance) {
        ++counters_.bogus_segments;
        return SegmentKind::out_of_order;
    }

    const std::int64_t expected = as_signed(next_offset_);
    const std::int64_t start = expected + distance;
    const std::int64_t captured_end = start + static_cast<std::int64_t>(payload.size());
    const std::int64_t sent_end = start + static_cast<std::int64_t>(sent_length);
    auto payload_part = [&](std::int64_t from, std::int64_t to) {
        return payload.subspan(static_cast<std::size_t>(from - start), static_cast<std::size_t>(to - from));
    };

    bool seen_before = false;
    bool carries_new = false;
    bool inconsistent = false;

    if (start < expected) {
        seen_before = true;
        const std::int64_t old_from = std::max<std::int64_t>(start, 0);
        const std::int64_t old_to = std::min(captured_end, expected);
        if (old_from < old_to &&
            !matches_retained_tail(static_cast<std::uint64_t>(old_from), payload_part(old_from, old_to))) {
            inconsistent = true;
        }
    }

    std::int64_t position = std::max(start, expected);
    if (position < captured_end) {
        forget_uncaptured(static_cast<std::uint64_t>(position), static_cast<std::uint64_t>(captured_end));
    }
    while (position < captured_end) {
        const auto offset = static_cast<std::uint64_t>(position);
        auto following = held_.upper_bound(offset);
        if (following != held_.begin()) {
            const auto covering = std::prev(following);
            const std::uint64_t covering_end = covering->first + covering->second.bytes.size();
            if (covering_end > offset) {
                seen_before = true;
                const std::int64_t overlap_end = std::min(captured_end, as_signed(covering_end));
                const Bytes copy = payload_part(position, overlap_end);
                const std::uint8_t* first_copy = covering->second.bytes.data() + (offset - covering->first);
                if (std::memcmp(copy.data(), first_copy, copy.size()) != 0) inconsistent = true;
                position = overlap_end;
                continue;
            }
        }
        std::int64_t piece_end = captured_end;
        if (following != held_.end()) piece_end = std::min(piece_end, as_signed(following->first));
        carries_new = true;
        place_new_bytes(offset, payload_part(position, piece_end), frame, time);
        position = piece_end;
    }

    const std::int64_t uncaptured_from = std::max(captured_end, as_signed(next_offset_));
    if (sent_end > uncaptured_from) {
        carries_new = true;
        remember_uncaptured(static_cast<std::uint64_t>(uncaptured_from), static_cast<std::uint64_t>(sent_end));
    }
    deliver_contiguous(frame);

    if (inconsistent && counters_.inconsistent_retransmissions++ == 0) counters_.first_inconsistent_frame = frame;
    if (!seen_before) {
        if (start == expected) return SegmentKind::in_order;
        ++counters_.out_of_order;
        return SegmentKind::out_of_order;
    }
    if (carries_new) {
        ++counters_.overlaps;
        return SegmentKind::overlap;
    }
    ++counters_.retransmissions;
    return SegmentKind::retransmission;
}

void TcpStreamReassembler::acknowledge(std::uint32_t ack, std::uint64_t frame) {
    if (!origin_known_) return;
    const auto distance = static_cast<std::int32_t>(ack - next_seq_);
    if (distance <= 0) return;
    if (distance > max_plausible_distance) {
        ++counters_.bogus_acks;
        return;
    }
    const std::uint64_t acknowledged_end = next_offset_ + static_cast<std::uint64_t>(distance);
    while (next_offset_ < acknowledged_end) {
        std::uint64_t hole_end = acknowledged_end;
        if (!held_.empty()) hole_end = std::min(hole_end, held_.begin()->first);
        declare_gap(hole_end - next_offset_, frame, GapReason::not_captured);
        deliver_contiguous(frame);
    }
}

void TcpStreamReassembler::flush(std::uint64_t frame) {
    while (!held_.empty() || !uncaptured_.empty()) {
        std::uint64_t hole_end = UINT64_MAX;
        if (!held_.empty()) hole_end = held_.begin()->first;
        if (!uncaptured_.empty()) hole_end = std::min(hole_end, uncaptured_.begin()->first);
        declare_gap(hole_end - next_offset_, frame, GapReason::not_captured);
        deliver_contiguous(frame);
    }
}

// New bytes at `offset` (not below next_offset_, not overlapping held bytes): delivered
// at once when contiguous, otherwise held within the memory cap.
void TcpStreamReassembler::place_new_bytes(std::uint64_t offset, Bytes bytes, std::uint64_t frame,
                                           const Timestamp& time) {
    deliver_contiguous(frame);
    while (offset > next_offset_ && buffered_bytes_ + bytes.size() > limits_.max_buffered_bytes) {
        std::uint64_t hole_end = offset;
        if (!held_.empty()) hole_end = std::min(hole_end, held_.begin()->first);
        ++counters_.cap_evictions;
        declare_gap(hole_end - next_offset_, frame, GapReason::memory_cap);
        deliver_contiguous(frame);
    }
    if (offset == next_offset_) {
        deliver(bytes, frame, time);
        return;
    }
    held_.emplace(offset, HeldSegment{{bytes.begin(), bytes.end()}, frame, time});
    buffered_bytes_ += bytes.size();
}

// Delivers held bytes and declares snap-length holes for as long as they start at next_offset_.
void TcpStreamReassembler::deliver_contiguous(std::uint64_t frame) {
    for (;;) {
        while (!uncaptured_.empty() && uncaptured_.begin()->second <= next_offset_) {
            uncaptured_.erase(uncaptured_.begin());
        }
        if (!held_.empty() && held_.begin()->first == next_offset_) {
            auto node = held_.extract(held_.begin());
            buffered_bytes_ -= node.mapped().bytes.size();
            deliver(node.mapped().bytes, node.mapped().frame, node.mapped().time);
            continue;
        }
        if (!uncaptured_.empty() && uncaptured_.begin()->first <= next_offset_) {
            std::uint64_t hole_end = uncaptured_.begin()->second;
            if (!held_.empty()) hole_end = std::min(hole_end, held_.begin()->first);
            declare_gap(hole_end - next_offset_, frame, GapReason::cut_by_snaplen);
            continue;
        }
        return;
    }
}

void TcpStreamReassembler::deliver(Bytes bytes, std::uint64_t frame, const Timestamp& time) {
    if (bytes.empty()) return;
    consumer_.on_data(direction_, next_offset_, bytes, frame, time);
    retain(bytes);
    next_offset_ += bytes.size();
    next_seq_ += static_cast<std::uint32_t>(bytes.size());
    counters_.delivered_bytes += bytes.size();
}

void TcpStreamReassembler::declare_gap(std::uint64_t length, std::uint64_t frame, GapReason reason) {
    if (length == 0) return;
    consumer_.on_gap(direction_, next_offset_, length, frame, reason);
    next_offset_ += length;
    next_seq_ += static_cast<std::uint32_t>(length);
    ++counters_.gaps;
    counters_.gap_bytes += length;
    tail_size_ = 0;
}

// Called before next_offset_ moves past `delivered`.
void TcpStreamReassembler::retain(Bytes delivered) {
    const std::size_t capacity = limits_.retained_tail_bytes;
    if (capacity == 0) return;
    // Until the stream passes `capacity` bytes the ring is only as long as
    // the stream: offsets below it are their own index.
    const std::uint64_t end = next_offset_ + delivered.size();
    const std::size_t needed = end < capacity ? static_cast<std::size_t>(end) : capacity;
    if (tail_.size() < needed) {
        const std::size_t grown = std::max(needed, std::min(capacity, 2 * tail_.size()));
        tail_.reserve(grown);  // exactly: resize alone may double past the capacity
        tail_.resize(grown);
    }
    const Bytes kept = delivered.size() > capacity ? delivered.last(capacity) : delivered;
    const std::uint64_t kept_offset = next_offset_ + (delivered.size() - kept.size());
    const auto index = static_cast<std::size_t>(kept_offset % capacity);
    const std::size_t first_part = std::min(kept.size(), capacity - index);
    std::memcpy(tail_.data() + index, kept.data(), first_part);
    std::memcpy(tail_.data(), kept.data() + first_part, kept.size() - first_part);
    tail_size_ = std::min(capacity, tail_size_ + delivered.size());
}

// Compares `bytes` (delivered before, ending at or before next_offset_) with the part of
// them still retained; bytes no longer retained are assumed to match.
bool TcpStreamReassembler::matches_retained_tail(std::uint64_t offset, Bytes bytes) const {
    const std::uint64_t retained_from = next_offset_ - tail_size_;
    if (offset + bytes.size() <= retained_from) return true;
    if (offset < retained_from) {
        bytes = bytes.subspan(static_cast<std::size_t>(retained_from - offset));
        offset = retained_from;
    }
    const std::size_t capacity = limits_.retained_tail_bytes;
    const auto index = static_cast<std::size_t>(offset % capacity);
    const std::size_t first_part = std::min(bytes.size(), capacity - index);
    return std::memcmp(tail_.data() + index, bytes.data(), first_part) == 0 &&
           std::memcmp(tail_.data(), bytes.data() + first_part, bytes.size() - first_part) == 0;
}

void TcpStreamReassembler::forget_uncaptured(std::uint64_t from, std::uint64_t to) {
    auto range = uncaptured_.lower_bound(from);
    if (range != uncaptured_.begin() && std::prev(range)->second > from) --range;
    while (range != uncaptured_.end() && range->first < to) {
        const auto [range_from, range_to] = *range;
        range = uncaptured_.erase(range);
        if (range_from < from) uncaptured_.emplace(range_from, from);
        if (range_to > to) {
            uncaptured_.emplace(to, range_to);
            return;
        }
    }
}

void TcpStreamReassembler::remember_uncaptured(std::uint64_t from, std::uint64_t to) {
    if (uncaptured_.size() >= max_uncaptured_ranges) return;
    auto range = uncaptured_.lower_bound(from);
    if (range != uncaptured_.begin() && std::prev(range)->second >= from) --range;
    while (range != uncaptured_.end() && range->first <= to) {
        from = std::min(from, range->first);
        to = std::max(to, range->second);
        range = uncaptured_.erase(range);
    }
    uncaptured_.emplace(from, to);
}

}  // namespace trustcap
