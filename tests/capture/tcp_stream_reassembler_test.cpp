#include "capture/tcp_stream_reassembler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace trustcap {
namespace {

constexpr Direction direction = Direction::client_to_server;

Timestamp time_of(std::uint64_t frame) {
    return Timestamp{static_cast<std::int64_t>(1'600'000'000 + frame), static_cast<std::uint32_t>(frame * 1000)};
}

struct Event {
    bool is_gap = false;
    std::uint64_t offset = 0;
    std::string bytes;       // data only
    std::uint64_t length = 0;  // gap only
    std::uint64_t frame = 0;
    Timestamp time;            // data only

    bool operator==(const Event&) const = default;
};

Event data(std::uint64_t offset, std::string bytes, std::uint64_t frame) {
    return Event{false, offset, std::move(bytes), 0, frame, time_of(frame)};
}

Event gap(std::uint64_t offset, std::uint64_t length, std::uint64_t frame) {
    return Event{true, offset, {}, length, frame, {}};
}

void PrintTo(const Event& event, std::ostream* out) {
    if (event.is_gap) {
        *out << "gap(" << event.offset << ", " << event.length << ", frame " << event.frame << ")";
    } else {
        *out << "data(" << event.offset << ", \"" << event.bytes << "\", frame " << event.frame << ")";
    }
}

class RecordingConsumer : public StreamConsumer {
public:
    void on_data(Direction seen_direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t frame,
                 const Timestamp& time) override {
        EXPECT_EQ(seen_direction, direction);
        events.push_back(Event{false, stream_offset, std::string(bytes.begin(), bytes.end()), 0, frame, time});
    }
    void on_gap(Direction seen_direction, std::uint64_t stream_offset, std::uint64_t length, std::uint64_t frame,
                GapReason reason) override {
        EXPECT_EQ(seen_direction, direction);
        events.push_back(gap(stream_offset, length, frame));
        gap_reasons.push_back(reason);
    }

    // Returns the events recorded since the last call.
    std::vector<Event> take() { return std::exchange(events, {}); }

    std::vector<Event> events;
    std::vector<GapReason> gap_reasons;
};

Bytes bytes_of(const std::string& text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

class TcpStreamReassemblerTest : public ::testing::Test {
protected:
    static constexpr std::uint32_t isn = 1000;  // the SYN's sequence number; data starts at isn + 1

    SegmentKind add(std::uint32_t offset, const std::string& text, std::uint64_t frame) {
        return reassembler->add_segment(isn + 1 + offset, bytes_of(text), static_cast<std::uint32_t>(text.size()),
                                       frame, time_of(frame));
    }
    SegmentKind add_cut(std::uint32_t offset, const std::string& captured, std::uint32_t wire_length,
                        std::uint64_t frame) {
        return reassembler->add_segment(isn + 1 + offset, bytes_of(captured), wire_length, frame, time_of(frame));
    }
    void ack(std::uint32_t offset, std::uint64_t frame) { reassembler->acknowledge(isn + 1 + offset, frame); }

    void use_limits(TcpStreamReassembler::Limits limits) {
        reassembler = std::make_unique<TcpStreamReassembler>(direction, consumer, limits);
        reassembler->set_initial_sequence(isn + 1);
    }

    void SetUp() override { use_limits({}); }

    RecordingConsumer consumer;
    std::unique_ptr<TcpStreamReassembler> reassembler;
};

TEST_F(TcpStreamReassemblerTest, DeliversInOrderSegmentsImmediately) {
    EXPECT_EQ(add(0, "GET ", 1), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "GET ", 1)}));
    EXPECT_EQ(add(4, "/cslu", 2), SegmentKind::in_order);
    EXPECT_EQ(add(9, " HTTP", 3), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(4, "/cslu", 2), data(9, " HTTP", 3)}));
    EXPECT_EQ(reassembler->next_offset(), 14u);
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
    EXPECT_EQ(reassembler->counters().delivered_bytes, 14u);
    EXPECT_EQ(reassembler->counters().out_of_order, 0u);
    EXPECT_EQ(reassembler->counters().gaps, 0u);
}

TEST_F(TcpStreamReassemblerTest, ZeroLengthSegmentIsInOrderAndDeliversNothing) {
    EXPECT_EQ(add(0, "", 1), SegmentKind::in_order);
    EXPECT_EQ(add(500, "", 2), SegmentKind::in_order);
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(reassembler->next_offset(), 0u);
}

TEST_F(TcpStreamReassemblerTest, ReordersFiveSegmentsArrivingInReverse) {
    EXPECT_EQ(add(12, "mmm", 1), SegmentKind::out_of_order);
    EXPECT_EQ(add(9, "lll", 2), SegmentKind::out_of_order);
    EXPECT_EQ(add(6, "kkk", 3), SegmentKind::out_of_order);
    EXPECT_EQ(add(3, "jjj", 4), SegmentKind::out_of_order);
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(reassembler->buffered_bytes(), 12u);

    EXPECT_EQ(add(0, "iii", 5), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "iii", 5), data(3, "jjj", 4), data(6, "kkk", 3),
                                                   data(9, "lll", 2), data(12, "mmm", 1)}));
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
    EXPECT_EQ(reassembler->next_offset(), 15u);
    EXPECT_EQ(reassembler->counters().out_of_order, 4u);
    EXPECT_EQ(reassembler->counters().delivered_bytes, 15u);
}

TEST_F(TcpStreamReassemblerTest, IdenticalRetransmissionIsNotDeliveredAgain) {
    add(0, "hello", 1);
    add(5, "world", 2);
    consumer.take();
    EXPECT_EQ(add(5, "world", 3), SegmentKind::retransmission);
    EXPECT_EQ(add(0, "hello", 4), SegmentKind::retransmission);
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(reassembler->counters().retransmissions, 2u);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 0u);

    add(20, "later", 5);
    EXPECT_EQ(add(20, "later", 6), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->buffered_bytes(), 5u);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 0u);
}

TEST_F(TcpStreamReassemblerTest, DifferentRetransmissionOfDeliveredBytesKeepsFirstCopy) {
    add(0, "hello", 1);
    add(5, "world", 2);
    consumer.take();
    EXPECT_EQ(add(3, "LOwo", 3), SegmentKind::retransmission);
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    EXPECT_EQ(reassembler->counters().retransmissions, 1u);

    // Part old and different, part new: the new part is delivered from this frame.
    EXPECT_EQ(add(8, "LD!", 4), SegmentKind::overlap);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(10, "!", 4)}));
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 2u);
}

TEST_F(TcpStreamReassemblerTest, DifferentRetransmissionOfHeldBytesKeepsFirstCopy) {
    EXPECT_EQ(add(5, "world", 1), SegmentKind::out_of_order);
    EXPECT_EQ(add(5, "WORLD", 2), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    EXPECT_EQ(reassembler->buffered_bytes(), 5u);
    add(0, "hello", 3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "hello", 3), data(5, "world", 1)}));
}

TEST_F(TcpStreamReassemblerTest, RetransmissionOlderThanRetainedTailCannotBeCompared) {
    use_limits({.max_buffered_bytes = 1 << 20, .retained_tail_bytes = 4});
    add(0, "abcdefgh", 1);
    consumer.take();
    EXPECT_EQ(add(0, "ABCDefgh", 2), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 0u);
    EXPECT_EQ(add(0, "abcdefgX", 3), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    // The retained tail wraps around its ring buffer.
    add(8, "ijklmn", 4);
    EXPECT_EQ(add(9, "jklmn", 5), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    EXPECT_EQ(add(10, "kLmn", 6), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 2u);
}

// A short stream keeps a short tail: an open connection that sent a few
// bytes holds a few bytes, not the whole ring.
TEST_F(TcpStreamReassemblerTest, TheRetainedTailGrowsWithTheStreamUpToItsLimit) {
    use_limits({.max_buffered_bytes = 1 << 20, .retained_tail_bytes = 16});
    const std::size_t empty = reassembler->held_bytes();
    add(0, "abc", 1);
    EXPECT_EQ(empty + 3, reassembler->held_bytes());
    EXPECT_EQ(add(1, "bX", 2), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    add(3, "defghijklmnopqrst", 3);
    EXPECT_EQ(empty + 16, reassembler->held_bytes());
    EXPECT_EQ(add(18, "sT", 4), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 2u);
    EXPECT_EQ(add(2, "CD", 5), SegmentKind::retransmission);  // older than the tail: taken as matching
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 2u);
}

TEST_F(TcpStreamReassemblerTest, TheRetainedTailNeverTakesMoreThanItsLimit) {
    use_limits({.max_buffered_bytes = 1 << 20, .retained_tail_bytes = 16});
    const std::size_t empty = reassembler->held_bytes();
    for (const char* piece : {"abc", "def", "ghijklm", "nop", "qrstuvwxyz"}) {
        add(static_cast<std::uint32_t>(reassembler->next_offset()), piece, 1);
        EXPECT_LE(reassembler->held_bytes(), empty + 16) << piece;
    }
    EXPECT_EQ(empty + 16, reassembler->held_bytes());
}

TEST_F(TcpStreamReassemblerTest, PartialOverlapWithDeliveredAndHeldBytes) {
    add(0, "0123456789", 1);
    EXPECT_EQ(add(20, "KLMNOPQRST", 2), SegmentKind::out_of_order);
    consumer.take();
    // Overlaps the delivered end on the left and the held segment on the right.
    EXPECT_EQ(add(5, "56789abcdefghijKLMNO", 3), SegmentKind::overlap);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(10, "abcdefghij", 3), data(20, "KLMNOPQRST", 2)}));
    EXPECT_EQ(reassembler->counters().overlaps, 1u);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 0u);
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
    EXPECT_EQ(reassembler->next_offset(), 30u);
}

TEST_F(TcpStreamReassemblerTest, OutOfOrderPartialOverlapOnBothSidesOfHeldSegment) {
    EXPECT_EQ(add(10, "klmno", 1), SegmentKind::out_of_order);
    EXPECT_EQ(add(8, "ijKLmnopq", 2), SegmentKind::overlap);  // differs inside the held copy
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    EXPECT_EQ(reassembler->buffered_bytes(), 9u);
    EXPECT_TRUE(consumer.events.empty());
    add(0, "abcdefgh", 3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "abcdefgh", 3), data(8, "ij", 2), data(10, "klmno", 1),
                                                   data(15, "pq", 2)}));
}

TEST_F(TcpStreamReassemblerTest, SegmentOverlappingSeveralHeldSegmentsFillsOnlyTheHoles) {
    add(10, "KKKKK", 1);
    add(20, "UUUUU", 2);
    add(30, "EEEEE", 3);
    EXPECT_EQ(add(8, "hhKKKKKpppppUUUUUzzzzzEEEEEyyyyy", 4), SegmentKind::overlap);
    EXPECT_EQ(reassembler->buffered_bytes(), 32u);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 0u);
    EXPECT_TRUE(consumer.events.empty());

    EXPECT_EQ(add(0, "abcdefgh", 5), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(),
              (std::vector<Event>{data(0, "abcdefgh", 5), data(8, "hh", 4), data(10, "KKKKK", 1),
                                  data(15, "ppppp", 4), data(20, "UUUUU", 2), data(25, "zzzzz", 4),
                                  data(30, "EEEEE", 3), data(35, "yyyyy", 4)}));
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
}

TEST_F(TcpStreamReassemblerTest, InOrderSegmentBridgingHeldSegmentsIsDeliveredAroundThem) {
    add(4, "BB", 1);
    add(8, "DD", 2);
    EXPECT_EQ(add(0, "aaaaXBccXDee", 3), SegmentKind::overlap);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "aaaa", 3), data(4, "BB", 1), data(6, "cc", 3),
                                                   data(8, "DD", 2), data(10, "ee", 3)}));
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
}

TEST_F(TcpStreamReassemblerTest, HandlesSequenceWraparound) {
    RecordingConsumer wrap_consumer;
    TcpStreamReassembler wrapping{direction, wrap_consumer};
    const std::uint32_t first = 0xFFFF'FFF8u;
    wrapping.set_initial_sequence(first);
    EXPECT_EQ(wrapping.add_segment(first, bytes_of("abcd"), 4, 1, time_of(1)), SegmentKind::in_order);
    EXPECT_EQ(wrapping.add_segment(first + 10, bytes_of("klmn"), 4, 2, time_of(2)), SegmentKind::out_of_order);
    EXPECT_EQ(wrapping.add_segment(first + 4, bytes_of("efghij"), 6, 3, time_of(3)), SegmentKind::in_order);
    EXPECT_EQ(wrap_consumer.take(),
              (std::vector<Event>{data(0, "abcd", 1), data(4, "efghij", 3), data(10, "klmn", 2)}));
    EXPECT_EQ(wrapping.add_segment(first + 2, bytes_of("cdefgh"), 6, 4, time_of(4)), SegmentKind::retransmission);
    wrapping.acknowledge(first + 20, 5);
    EXPECT_EQ(wrap_consumer.take(), (std::vector<Event>{gap(14, 6, 5)}));
    EXPECT_EQ(wrapping.add_segment(first + 20, bytes_of("uv"), 2, 6, time_of(6)), SegmentKind::in_order);
    EXPECT_EQ(wrap_consumer.take(), (std::vector<Event>{data(20, "uv", 6)}));
    EXPECT_EQ(wrapping.counters().inconsistent_retransmissions, 0u);
}

TEST_F(TcpStreamReassemblerTest, OffsetsKeepGrowingBeyondFourGiB) {
    constexpr std::uint64_t step = 1u << 30;
    add(0, "start", 1);
    consumer.take();
    std::uint64_t acknowledged = 5;
    for (std::uint64_t frame = 2; frame <= 6; ++frame) {
        reassembler->acknowledge(static_cast<std::uint32_t>(isn + 1 + acknowledged + step), frame);
        EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(acknowledged, step, frame)}));
        acknowledged += step;
    }
    EXPECT_GT(reassembler->next_offset(), std::uint64_t{1} << 32);
    const auto seq = static_cast<std::uint32_t>(isn + 1 + acknowledged);
    EXPECT_EQ(reassembler->add_segment(seq + 3, bytes_of("def"), 3, 7, time_of(7)), SegmentKind::out_of_order);
    EXPECT_EQ(reassembler->add_segment(seq, bytes_of("abc"), 3, 8, time_of(8)), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(acknowledged, "abc", 8), data(acknowledged + 3, "def", 7)}));
    EXPECT_EQ(reassembler->add_segment(seq + 1, bytes_of("bXd"), 3, 9, time_of(9)), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    EXPECT_EQ(reassembler->counters().gap_bytes, 5 * step);
}

TEST_F(TcpStreamReassemblerTest, AckMakesMissingBytesAGap) {
    add(0, "0123456789", 1);
    add(20, "KLMNOPQRST", 2);
    consumer.take();
    ack(25, 3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(10, 10, 3), data(20, "KLMNOPQRST", 2)}));
    EXPECT_EQ(consumer.gap_reasons, std::vector<GapReason>{GapReason::not_captured});
    EXPECT_EQ(reassembler->counters().gaps, 1u);
    EXPECT_EQ(reassembler->counters().gap_bytes, 10u);
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);

    // A late copy of the gap's bytes is a retransmission: it is not delivered.
    EXPECT_EQ(add(10, "abcdefghij", 4), SegmentKind::retransmission);
    EXPECT_TRUE(consumer.events.empty());
}

TEST_F(TcpStreamReassemblerTest, LateCopyOfGapBytesIsNotComparedWithUnrelatedBytes) {
    add(0, "abcd", 1);
    ack(10, 2);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "abcd", 1), gap(4, 6, 2)}));
    EXPECT_EQ(add(4, "efghij", 3), SegmentKind::retransmission);
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 0u);
}

TEST_F(TcpStreamReassemblerTest, AckBeyondHeldSegmentsMakesEveryHoleAGap) {
    add(10, "klmno", 1);
    add(20, "uvwxy", 2);
    ack(40, 3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(0, 10, 3), data(10, "klmno", 1), gap(15, 5, 3),
                                                   data(20, "uvwxy", 2), gap(25, 15, 3)}));
    EXPECT_EQ(reassembler->next_offset(), 40u);
    EXPECT_EQ(reassembler->counters().gaps, 3u);
    EXPECT_EQ(reassembler->counters().gap_bytes, 30u);
}

TEST_F(TcpStreamReassemblerTest, OldEqualAndBogusAcksChangeNothing) {
    RecordingConsumer early_consumer;
    TcpStreamReassembler without_origin{direction, early_consumer};
    without_origin.acknowledge(12345, 1);
    EXPECT_TRUE(early_consumer.events.empty());

    add(0, "0123456789", 1);
    add(20, "KLMNOPQRST", 2);
    consumer.take();
    ack(5, 3);
    ack(10, 4);
    reassembler->acknowledge(isn + 1 + 10 + (1u << 30) + 1, 5);
    reassembler->acknowledge(isn + 1 + 10 + 0x8000'0000u, 6);  // the furthest a signed distance can reach
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(reassembler->counters().bogus_acks, 1u);  // the last one reads as an old ack
    EXPECT_EQ(reassembler->next_offset(), 10u);
    EXPECT_EQ(reassembler->buffered_bytes(), 10u);
    EXPECT_EQ(reassembler->counters().gaps, 0u);
}

TEST_F(TcpStreamReassemblerTest, BogusFarAheadSegmentIsIgnored) {
    add(0, "abc", 1);
    consumer.take();
    EXPECT_EQ(add((1u << 30) + 3 + 1, "bogus", 2), SegmentKind::out_of_order);
    EXPECT_EQ(reassembler->counters().bogus_segments, 1u);
    EXPECT_EQ(reassembler->counters().out_of_order, 0u);
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
    EXPECT_EQ(add((1u << 30) + 3, "plausible", 3), SegmentKind::out_of_order);
    EXPECT_EQ(reassembler->buffered_bytes(), 9u);
    EXPECT_EQ(add(3, "def", 4), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(3, "def", 4)}));
}

TEST_F(TcpStreamReassemblerTest, FlushDeliversHeldBytesWithGapsAndAcceptsMoreData) {
    add(0, "abc", 1);
    add(10, "klm", 2);
    add(20, "uvw", 3);
    consumer.take();
    reassembler->flush(4);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(3, 7, 4), data(10, "klm", 2), gap(13, 7, 4),
                                                   data(20, "uvw", 3)}));
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
    EXPECT_EQ(reassembler->next_offset(), 23u);
    EXPECT_EQ(reassembler->counters().gaps, 2u);
    EXPECT_EQ(reassembler->counters().cap_evictions, 0u);

    reassembler->flush(5);
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(add(23, "xyz", 6), SegmentKind::in_order);
    EXPECT_EQ(add(5, "fgh", 7), SegmentKind::retransmission);
    EXPECT_EQ(add(30, "EEE", 8), SegmentKind::out_of_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(23, "xyz", 6)}));
    reassembler->flush(9);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(26, 4, 9), data(30, "EEE", 8)}));
}

TEST_F(TcpStreamReassemblerTest, SnapLengthCutInOrderSegmentBecomesGapAtOnce) {
    EXPECT_EQ(add_cut(0, "GET ", 10, 1), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "GET ", 1), gap(4, 6, 1)}));
    EXPECT_EQ(reassembler->next_offset(), 10u);
    EXPECT_EQ(add(10, "next", 2), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(10, "next", 2)}));

    EXPECT_EQ(add_cut(14, "", 6, 3), SegmentKind::in_order);  // nothing of the payload captured
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(14, 6, 3)}));
    EXPECT_EQ(reassembler->counters().gap_bytes, 12u);
    EXPECT_EQ(consumer.gap_reasons, (std::vector<GapReason>{GapReason::cut_by_snaplen, GapReason::cut_by_snaplen}));
}

TEST_F(TcpStreamReassemblerTest, SnapLengthCutOutOfOrderSegmentBecomesGapWhenReached) {
    EXPECT_EQ(add_cut(10, "klmn", 10, 1), SegmentKind::out_of_order);
    EXPECT_EQ(add(20, "uvw", 2), SegmentKind::out_of_order);
    EXPECT_EQ(reassembler->buffered_bytes(), 7u);
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(add(0, "abcdefghij", 3), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "abcdefghij", 3), data(10, "klmn", 1),
                                                   gap(14, 6, 3), data(20, "uvw", 2)}));
}

TEST_F(TcpStreamReassemblerTest, CapturedCopyOfCutBytesFillsTheHoleBeforeItIsReached) {
    add_cut(10, "klmn", 10, 1);
    EXPECT_EQ(add(12, "mnopqrst", 2), SegmentKind::overlap);
    add(0, "abcdefghij", 3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "abcdefghij", 3), data(10, "klmn", 1),
                                                   data(14, "opqrst", 2)}));
    EXPECT_EQ(reassembler->counters().gaps, 0u);
}

TEST_F(TcpStreamReassemblerTest, InOrderCopyOfCutBytesIsDeliveredInsteadOfAGap) {
    add_cut(10, "klmn", 10, 1);
    EXPECT_EQ(add(0, "abcdefghijKLMNopqrst", 2), SegmentKind::overlap);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "abcdefghij", 2), data(10, "klmn", 1),
                                                   data(14, "opqrst", 2)}));
    EXPECT_EQ(reassembler->counters().inconsistent_retransmissions, 1u);
    EXPECT_EQ(reassembler->counters().gaps, 0u);
    EXPECT_EQ(reassembler->next_offset(), 20u);
}

TEST_F(TcpStreamReassemblerTest, CapturedCopyInsideCutBytesSplitsTheHole) {
    add_cut(10, "kl", 20, 1);
    EXPECT_EQ(add(14, "opqr", 2), SegmentKind::out_of_order);
    add(0, "abcdefghij", 3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "abcdefghij", 3), data(10, "kl", 1), gap(12, 2, 3),
                                                   data(14, "opqr", 2), gap(18, 12, 3)}));
}

TEST_F(TcpStreamReassemblerTest, BeyondTheirLimitCutHolesAreLeftToAckOrFlush) {
    for (std::uint32_t i = 0; i < 1024; ++i) add_cut(1000 + 10 * i, "", 5, 1);
    add_cut(10, "kl", 10, 2);
    add(0, "abcdefghij", 3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "abcdefghij", 3), data(10, "kl", 2)}));
    ack(20, 4);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(12, 8, 4)}));
}

TEST_F(TcpStreamReassemblerTest, CutSegmentAtTheEndBecomesGapAtFlush) {
    add(0, "abc", 1);
    add_cut(5, "fg", 6, 2);
    consumer.take();
    reassembler->flush(3);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(3, 2, 3), data(5, "fg", 2), gap(7, 4, 3)}));
    EXPECT_EQ(reassembler->next_offset(), 11u);
}

TEST_F(TcpStreamReassemblerTest, MemoryCapGivesUpTheLowestHole) {
    use_limits({.max_buffered_bytes = 20, .retained_tail_bytes = 16});
    auto check_cap = [&] { EXPECT_LE(reassembler->buffered_bytes(), 20u); };

    add(10, "AAAAAAAAAA", 1);  // [10, 20)
    add(30, "BBBBBBBBBB", 2);  // [30, 40): exactly at the cap
    check_cap();
    EXPECT_TRUE(consumer.events.empty());
    EXPECT_EQ(reassembler->counters().cap_evictions, 0u);

    EXPECT_EQ(add(50, "CCCCC", 3), SegmentKind::out_of_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(0, 10, 3), data(10, "AAAAAAAAAA", 1)}));
    EXPECT_EQ(reassembler->counters().cap_evictions, 1u);
    EXPECT_EQ(reassembler->buffered_bytes(), 15u);

    add(60, "DDDDDDDDDD", 4);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(20, 10, 4), data(30, "BBBBBBBBBB", 2)}));
    EXPECT_EQ(reassembler->counters().cap_evictions, 2u);
    EXPECT_EQ(reassembler->buffered_bytes(), 15u);
    check_cap();

    // Larger than the cap on its own: every hole below it is given up and it is delivered directly.
    add(100, std::string(30, 'E'), 5);
    EXPECT_EQ(consumer.take(),
              (std::vector<Event>{gap(40, 10, 5), data(50, "CCCCC", 3), gap(55, 5, 5), data(60, "DDDDDDDDDD", 4),
                                  gap(70, 30, 5), data(100, std::string(30, 'E'), 5)}));
    EXPECT_EQ(reassembler->counters().cap_evictions, 5u);
    EXPECT_EQ(reassembler->counters().gaps, 5u);
    EXPECT_EQ(reassembler->buffered_bytes(), 0u);
    EXPECT_EQ(reassembler->next_offset(), 130u);
}

TEST_F(TcpStreamReassemblerTest, MemoryCapCanGiveUpTheHoleBelowTheNewSegment) {
    use_limits({.max_buffered_bytes = 10, .retained_tail_bytes = 16});
    add(50, "XXXXXXXXXX", 1);
    EXPECT_EQ(add(20, "yyyyy", 2), SegmentKind::out_of_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(0, 20, 2), data(20, "yyyyy", 2)}));
    EXPECT_EQ(consumer.gap_reasons, std::vector<GapReason>{GapReason::memory_cap});
    EXPECT_EQ(reassembler->buffered_bytes(), 10u);
    EXPECT_EQ(reassembler->counters().cap_evictions, 1u);
}

TEST(TcpStreamReassemblerMidStream, FirstSegmentSetsTheOriginWithoutInitialSequence) {
    RecordingConsumer consumer;
    TcpStreamReassembler reassembler{direction, consumer};
    EXPECT_EQ(reassembler.add_segment(5000, bytes_of(""), 0, 1, time_of(1)), SegmentKind::in_order);
    EXPECT_EQ(reassembler.add_segment(5000, bytes_of("hello"), 5, 2, time_of(2)), SegmentKind::in_order);
    EXPECT_EQ(reassembler.add_segment(4990, bytes_of("0123456789"), 10, 3, time_of(3)),
              SegmentKind::retransmission);
    EXPECT_EQ(reassembler.add_segment(4998, bytes_of("89helloXY"), 9, 4, time_of(4)), SegmentKind::overlap);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(0, "hello", 2), data(5, "XY", 4)}));
    EXPECT_EQ(reassembler.counters().inconsistent_retransmissions, 0u);
    reassembler.acknowledge(5010, 5);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{gap(7, 3, 5)}));
    reassembler.set_initial_sequence(9000);  // too late: the stream has started
    EXPECT_EQ(reassembler.add_segment(5010, bytes_of("z"), 1, 6, time_of(6)), SegmentKind::in_order);
    EXPECT_EQ(consumer.take(), (std::vector<Event>{data(10, "z", 6)}));
}

// A random byte string, cut into random segments (plus copies cut differently and exact
// duplicates), shuffled and fed: the consumer must get exactly the original bytes, each
// from a frame that carried it.
struct RandomFeed {
    struct Segment {
        std::uint64_t offset;
        std::uint64_t length;
        std::uint64_t captured_length;  // less than length when the snap length cut the frame
    };

    RandomFeed(std::uint32_t seed, std::size_t size) : random(seed) {
        std::uniform_int_distribution<int> byte(0, 255);
        original.resize(size);
        for (auto& value : original) value = static_cast<std::uint8_t>(byte(random));
        cut_into_segments(1.0);
        cut_into_segments(0.2);
        std::bernoulli_distribution duplicate(0.1);
        const std::size_t unique = frames.size();
        for (std::size_t i = 0; i < unique; ++i) {
            if (duplicate(random)) frames.push_back(frames[i]);
        }
        std::shuffle(frames.begin(), frames.end(), random);
    }

    void cut_into_segments(double keep_probability) {
        std::uniform_int_distribution<std::uint64_t> length(1, 1460);
        std::bernoulli_distribution keep(keep_probability);
        for (std::uint64_t offset = 0; offset < original.size();) {
            std::uint64_t segment_length = std::min<std::uint64_t>(length(random), original.size() - offset);
            if (keep(random)) frames.push_back({offset, segment_length, segment_length});
            offset += segment_length;
        }
    }

    void cut_some_by_snap_length(double probability) {
        std::bernoulli_distribution cut(probability);
        for (Segment& segment : frames) {
            if (!cut(random)) continue;
            segment.captured_length = std::uniform_int_distribution<std::uint64_t>(0, segment.length - 1)(random);
        }
    }

    SegmentKind feed_frame(TcpStreamReassembler& reassembler, std::uint32_t first_seq, std::size_t index) const {
        const Segment& segment = frames[index];
        const auto seq = static_cast<std::uint32_t>(first_seq + segment.offset);
        const Bytes captured = Bytes(original).subspan(segment.offset, segment.captured_length);
        return reassembler.add_segment(seq, captured, static_cast<std::uint32_t>(segment.length), index + 1,
                                       time_of(index + 1));
    }

    std::mt19937 random;
    std::vector<std::uint8_t> original;
    std::vector<Segment> frames;  // frames[i] is frame i + 1
};

// Checks that the events tile [0, size) exactly and that every data byte is the original
// byte, carried by the frame it is attributed to. Returns the number of gap bytes.
std::uint64_t check_events_against(const RandomFeed& feed, const std::vector<Event>& events) {
    std::uint64_t expected_offset = 0;
    std::uint64_t gap_bytes = 0;
    for (const Event& event : events) {
        EXPECT_EQ(event.offset, expected_offset);
        if (event.is_gap) {
            gap_bytes += event.length;
            expected_offset += event.length;
            continue;
        }
        EXPECT_FALSE(event.bytes.empty());
        EXPECT_GE(event.frame, 1u);
        EXPECT_LE(event.frame, feed.frames.size());
        if (event.frame < 1 || event.frame > feed.frames.size()) return gap_bytes;
        const RandomFeed::Segment& carrier = feed.frames[event.frame - 1];
        EXPECT_GE(event.offset, carrier.offset);
        EXPECT_LE(event.offset + event.bytes.size(), carrier.offset + carrier.captured_length);
        EXPECT_EQ(event.time, time_of(event.frame));
        EXPECT_LE(event.offset + event.bytes.size(), feed.original.size());
        if (event.offset + event.bytes.size() > feed.original.size()) return gap_bytes;
        EXPECT_TRUE(std::equal(event.bytes.begin(), event.bytes.end(),
                               feed.original.begin() + static_cast<std::ptrdiff_t>(event.offset),
                               [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; }))
            << "at offset " << event.offset;
        expected_offset += event.bytes.size();
    }
    EXPECT_EQ(expected_offset, feed.original.size());
    return gap_bytes;
}

TEST(TcpStreamReassemblerRandomized, ShuffledDuplicatedSegmentsYieldTheOriginalBytes) {
    for (std::uint32_t seed : {1u, 2u, 3u, 42u, 2024u}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        RandomFeed feed(seed, 40'000);
        const std::uint32_t first_seq = seed % 2 == 0 ? 0xFFFF'C000u + seed : static_cast<std::uint32_t>(feed.random());
        RecordingConsumer consumer;
        TcpStreamReassembler reassembler{direction, consumer};
        reassembler.set_initial_sequence(first_seq);
        for (std::size_t i = 0; i < feed.frames.size(); ++i) feed.feed_frame(reassembler, first_seq, i);
        EXPECT_EQ(check_events_against(feed, consumer.events), 0u);
        EXPECT_GT(reassembler.counters().out_of_order, 0u);
        EXPECT_GT(reassembler.counters().retransmissions, 0u);
        EXPECT_GT(reassembler.counters().overlaps, 0u);
        EXPECT_EQ(reassembler.counters().gaps, 0u);
        EXPECT_EQ(reassembler.counters().inconsistent_retransmissions, 0u);
        EXPECT_EQ(reassembler.counters().delivered_bytes, feed.original.size());
        EXPECT_EQ(reassembler.next_offset(), feed.original.size());
        EXPECT_EQ(reassembler.buffered_bytes(), 0u);
    }
}

TEST(TcpStreamReassemblerRandomized, SmallMemoryCapNeverExceededAndStreamStaysConsistent) {
    constexpr std::size_t cap = 3000;
    for (std::uint32_t seed : {7u, 8u, 9u}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        RandomFeed feed(seed, 40'000);
        const std::uint32_t first_seq = 0xFFFF'F000u;
        RecordingConsumer consumer;
        TcpStreamReassembler reassembler{direction, consumer, {.max_buffered_bytes = cap, .retained_tail_bytes = 512}};
        reassembler.set_initial_sequence(first_seq);
        for (std::size_t i = 0; i < feed.frames.size(); ++i) {
            feed.feed_frame(reassembler, first_seq, i);
            ASSERT_LE(reassembler.buffered_bytes(), cap);
        }
        reassembler.flush(feed.frames.size() + 1);
        const std::uint64_t gap_bytes = check_events_against(feed, consumer.events);
        const auto& counters = reassembler.counters();
        EXPECT_GT(counters.cap_evictions, 0u);
        EXPECT_EQ(counters.gap_bytes, gap_bytes);
        EXPECT_EQ(counters.delivered_bytes + counters.gap_bytes, feed.original.size());
        EXPECT_EQ(counters.inconsistent_retransmissions, 0u);
        EXPECT_EQ(reassembler.buffered_bytes(), 0u);
    }
}

TEST(TcpStreamReassemblerRandomized, SnapLengthCutCopiesYieldOriginalBytesOrGaps) {
    for (std::uint32_t seed : {11u, 12u, 13u, 14u}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        RandomFeed feed(seed, 40'000);
        feed.cut_some_by_snap_length(0.3);
        const std::uint32_t first_seq = 0xFFFF'8000u + seed;
        RecordingConsumer consumer;
        TcpStreamReassembler reassembler{direction, consumer};
        reassembler.set_initial_sequence(first_seq);
        for (std::size_t i = 0; i < feed.frames.size(); ++i) feed.feed_frame(reassembler, first_seq, i);
        reassembler.flush(feed.frames.size() + 1);
        const std::uint64_t gap_bytes = check_events_against(feed, consumer.events);
        const auto& counters = reassembler.counters();
        EXPECT_EQ(counters.gap_bytes, gap_bytes);
        EXPECT_EQ(counters.delivered_bytes + counters.gap_bytes, feed.original.size());
        EXPECT_EQ(counters.cap_evictions, 0u);
        EXPECT_GT(counters.gaps, 0u);
        EXPECT_EQ(reassembler.buffered_bytes(), 0u);
    }
}

}  // namespace
}  // namespace trustcap
